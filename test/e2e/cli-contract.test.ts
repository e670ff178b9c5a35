import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it, test} from 'vitest'

import {wickerIn} from '../helpers/cli-in.js'
import {BIN, STACK_TRACE, wicker, wickerAsync, type CliRun} from '../helpers/cli.js'
import {copyCourse, flowCourse} from '../helpers/flow.js'
import {tempDir} from '../helpers/fs.js'
import {deadPid, plantLock} from '../helpers/lock.js'
import {waitFor} from '../helpers/procs.js'

/**
 * The contract a script relies on, for every command: each mistake has its documented exit code,
 * `--json` prints one envelope whose `status` is that exit code (and nothing JSON on stderr),
 * without --json the message goes to stderr, and never a stack trace.
 */
interface Places {
  /** a fresh course with staging ready to merge (its own copy: rows run side by side) */
  course(): string
  /** a fresh copy of a course with a prepared run */
  prepared(): string
  /** an empty courses dir: `no_such_course` is not in it */
  nowhere: string
  /** a plain file, where a folder is expected */
  file: string
  /** a path in a folder that does not exist */
  missing(name: string): string
}

interface Row {
  args: (p: Places) => string[]
  /** default: --json is added */
  human?: boolean
  env?: Record<string, string>
  code: number
  /** the error envelope's name; absent: a result envelope */
  name?: string | RegExp
  /** in the message (--json) or on stderr (without) */
  says: RegExp
}

const missingCourse = (command: string, ...rest: string[]) => (p: Places) => [command, 'no_such_course', '--courses-dir', p.nowhere, ...rest]
const NOT_FOUND = {code: 2, name: 'E_COURSE_NOT_FOUND', says: /No course "no_such_course"/}
/** a user's mistake whose name another part of issue 11 settles: any code but the bug's */
const MISTAKE = /^E_(?!INTERNAL$)[A-Z_]+$/
const LOCK_ID = 'b0b0b0b0-0000-4000-8000-000000000000'

const rows: Record<string, Row> = {
  'detect --orientation sideways': {args: (p) => ['detect', p.course(), '--orientation', 'sideways'], code: 2, name: 'E_USAGE', says: /sideways/},
  'detect, no such course': {args: missingCourse('detect'), ...NOT_FOUND},
  'detect, a folder without lego_pairs.json': {args: (p) => ['detect', tempDir()], code: 2, name: 'E_COURSE_NO_LEGO_PAIRS', says: /has no lego_pairs\.json/},
  'detect --fail-on-missing, something missing (findings: a result)': {args: (p) => ['detect', p.course(), '--fail-on-missing'], code: 1, says: /./},
  'detect, no such course (human)': {args: missingCourse('detect'), human: true, ...NOT_FOUND},

  'prepare-segments --packet-size abc': {args: (p) => ['prepare-segments', p.course(), '--packet-size', 'abc'], code: 2, name: 'E_USAGE', says: /packet-size/},
  'prepare-segments, no such course': {args: missingCourse('prepare-segments'), ...NOT_FOUND},
  'prepare-segments --ids of no LEGO': {args: (p) => ['prepare-segments', p.course(), '--ids', 'S9999L01'], code: 2, name: 'E_IDS', says: /S9999L01/},
  'prepare-segments --window-seeds 20000 (out of range)': {args: (p) => ['prepare-segments', p.course(), '--window-seeds', '20000'], code: 2, name: MISTAKE, says: /window/i},
  'prepare-segments --manifest that does not exist': {args: (p) => ['prepare-segments', p.course(), '--manifest', p.missing('gone-manifest.json')], code: 2, name: MISTAKE, says: /gone-manifest\.json/},
  'prepare-segments, no such course (human)': {args: missingCourse('prepare-segments'), human: true, ...NOT_FOUND},

  'launch --concurrency 0': {args: (p) => ['launch', p.prepared(), '--concurrency', '0'], code: 2, name: 'E_USAGE', says: /concurrency/},
  'launch --concurrency 99999999999999999999 (no upper bound)': {args: (p) => ['launch', p.prepared(), '--concurrency', '99999999999999999999', '--stagger', '0s'], code: 2, name: MISTAKE, says: /concurrency/},
  'launch, no such course': {args: missingCourse('launch'), ...NOT_FOUND},
  'launch --run that was never prepared': {args: (p) => ['launch', p.prepared(), '--run', 'run-vozzle'], code: 2, name: 'E_NO_RUN', says: /run-vozzle/},
  'launch --agent-bin that does not exist': {args: (p) => ['launch', p.prepared(), '--agent', 'claude', '--agent-bin', p.missing('quorble-claude'), '--retries', '0', '--stagger', '0s'], code: 2, name: MISTAKE, says: /quorble-claude/},
  'launch, no such course (human)': {args: missingCourse('launch'), human: true, ...NOT_FOUND},

  'extract --max-file-size lots': {args: (p) => ['extract', p.course(), '--max-file-size', 'lots'], code: 2, name: 'E_USAGE', says: /max-file-size/},
  'extract, no such course': {args: missingCourse('extract'), ...NOT_FOUND},
  'collect --from a folder that does not exist': {args: (p) => ['collect', p.course(), '--from', p.missing('gone-artifacts')], code: 2, name: 'E_FROM_MISSING', says: /gone-artifacts.*given to --from.*does not exist/},
  'extract --staging that does not exist': {args: (p) => ['extract', p.course(), '--staging', p.missing('gone-staging')], code: 2, name: 'E_STAGING_MISSING', says: /gone-staging.*given to --staging.*does not exist/},
  'extract, no such course (human)': {args: missingCourse('extract'), human: true, ...NOT_FOUND},

  'preview --max-diffs -1': {args: (p) => ['preview', p.course(), '--max-diffs', '-1'], code: 2, name: 'E_USAGE', says: /max-diffs/},
  'preview, no such course': {args: missingCourse('preview'), ...NOT_FOUND},
  'preview --detailed-exitcode --on-conflict sometimes (a usage error stays 2)': {args: (p) => ['preview', p.course(), '--detailed-exitcode', '--on-conflict', 'sometimes'], code: 2, name: 'E_USAGE', says: /sometimes/},
  'preview --detailed-exitcode, changes ready (6: a result)': {args: (p) => ['preview', p.course(), '--detailed-exitcode'], code: 6, says: /./},
  'preview --resolutions that does not exist': {args: (p) => ['preview', p.course(), '--resolutions', p.missing('gone-resolutions.json')], code: 2, name: MISTAKE, says: /gone-resolutions\.json/},
  'preview, no such course (human)': {args: missingCourse('preview'), human: true, ...NOT_FOUND},

  'merge --on-conflict sometimes': {args: (p) => ['merge', p.course(), '--on-conflict', 'sometimes'], code: 2, name: 'E_USAGE', says: /sometimes/},
  'merge, no such course': {args: missingCourse('merge', '--yes'), ...NOT_FOUND},
  'merge with no terminal and no --yes': {args: (p) => ['merge', p.course()], code: 2, name: 'E_CONFIRM', says: /no terminal/},
  'merge --plan that does not exist': {args: (p) => ['merge', p.course(), '--plan', p.missing('gone-plan.json')], code: 2, name: MISTAKE, says: /gone-plan\.json/},
  'merge with no terminal and no --yes (human)': {args: (p) => ['merge', p.course()], human: true, code: 2, says: /no terminal[^]*--yes/},

  'validate --gate loose': {args: (p) => ['validate', p.course(), '--gate', 'loose'], code: 2, name: 'E_USAGE', says: /loose/},
  'validate, no such course': {args: missingCourse('validate'), ...NOT_FOUND},
  'validate --window-seeds 20000': {args: (p) => ['validate', p.course(), '--window-seeds', '20000'], code: 2, name: 'E_USAGE', says: /--window-seeds 20000 is out of range/},
  'validate, no such course (human)': {args: missingCourse('validate'), human: true, ...NOT_FOUND},

  'status --max-depth deep': {args: (p) => ['status', p.course(), '--max-depth', 'deep'], code: 2, name: 'E_USAGE', says: /max-depth/},
  'status, no such course': {args: missingCourse('status'), ...NOT_FOUND},
  'status --config that does not exist': {args: (p) => ['status', p.course(), '--config', p.missing('gone.config.json')], code: 2, name: 'E_FILE_MISSING', says: /gone\.config\.json/},
  'status, no such course (human)': {args: missingCourse('status'), human: true, ...NOT_FOUND},

  'init --courses-dir with no value': {args: () => ['init', tempDir(), '--courses-dir'], code: 2, name: 'E_USAGE', says: /courses-dir/},
  'init in a folder whose parent does not exist': {args: (p) => ['init', join(p.missing('gone-parent'), 'blorp')], code: 2, name: MISTAKE, says: /gone-parent/},
  'init on a file': {args: (p) => ['init', p.file], code: 2, name: MISTAKE, says: /plain-file/},
  'init --frobnicate (human)': {args: () => ['init', tempDir(), '--frobnicate'], human: true, code: 2, says: /frobnicate/},

  'restore --staging with no value': {args: (p) => ['restore', p.course(), '--staging'], code: 2, name: 'E_USAGE', says: /staging/},
  'restore, no such course': {args: missingCourse('restore'), ...NOT_FOUND},
  'restore when nothing was ever merged': {args: (p) => ['restore', p.course()], code: 2, name: 'E_NO_TX', says: /no transaction to undo/},
  'restore, no such course (human)': {args: missingCourse('restore'), human: true, ...NOT_FOUND},

  'unlock --lock-id with no value': {args: (p) => ['unlock', p.course(), '--lock-id'], code: 2, name: 'E_USAGE', says: /lock-id/},
  'unlock, no such course': {args: missingCourse('unlock', '--lock-id', LOCK_ID), ...NOT_FOUND},
  'unlock --lock-id that is not the lock\'s': {args: (p) => ['unlock', locked(p.course()), '--lock-id', LOCK_ID], code: 2, name: 'E_LOCK_ID', says: new RegExp(LOCK_ID)},
  'unlock, no such course (human)': {args: missingCourse('unlock', '--lock-id', LOCK_ID), human: true, ...NOT_FOUND},

  'demo --courses-dir with no value': {args: () => ['demo', join(tempDir(), 'demo'), '--courses-dir'], code: 2, name: 'E_USAGE', says: /courses-dir/},
  'demo in a folder below a file': {args: (p) => ['demo', join(p.file, 'demo')], code: 2, name: MISTAKE, says: /plain-file/},
  'demo --frobnicate (human)': {args: () => ['demo', join(tempDir(), 'demo'), '--frobnicate'], human: true, code: 2, says: /frobnicate/},

  'recover --abandon with no value': {args: (p) => ['recover', p.course(), '--abandon'], code: 2, name: 'E_USAGE', says: /abandon/},
  'recover, no such course': {args: missingCourse('recover'), ...NOT_FOUND},
  'recover --abandon of no transaction': {args: (p) => ['recover', p.course(), '--abandon', 'merge-glimmox'], code: 2, name: 'E_NO_TX', says: /merge-glimmox/},
  'recover, no such course (human)': {args: missingCourse('recover'), human: true, ...NOT_FOUND},
}

/** Mistakes made before any command parses its flags: --json must hold there too. */
const outside: Record<string, Row & {stderr?: RegExp}> = {
  'wicker foo --json': {args: () => ['foo'], code: 2, name: 'E_COMMAND_NOT_FOUND', says: /foo is not a wicker command/},
  'WICKER_JSON=1 wicker foo': {args: () => ['foo'], human: true, env: {WICKER_JSON: '1'}, code: 2, name: 'E_COMMAND_NOT_FOUND', says: /foo is not a wicker command/},
  'wicker --json detect X (a flag before the command)': {args: () => ['--json', 'detect', 'qtl_for_qkn'], human: true, code: 2, name: 'E_USAGE', says: /--json comes before the command detect/},
  'wicker detect --json --nonsense': {args: () => ['detect', '--json', '--nonsense'], human: true, code: 2, name: 'E_USAGE', says: /nonsense/},
  'wicker --json (no command)': {args: () => [], code: 2, name: 'E_USAGE', says: /no command given/},
  'wicker --json --version (a result)': {args: () => ['--version'], code: 0, says: /./},
  // with or without @oclif/plugin-not-found: its did-you-mean exits 127, wicker's contract says 2
  'wicker foo (human)': {args: () => ['foo'], human: true, code: 2, says: /foo/, stderr: /foo/},
}

/** An attempt of the course's prepared run has started (its ledger has a start line). */
function agentStarted(dir: string): boolean {
  const runs = join(dir, '.wicker', 'runs')
  return readdirSync(runs).some((run) => {
    const ledger = join(runs, run, 'ledger.ndjson')
    return existsSync(ledger) && readFileSync(ledger, 'utf8').includes('"event":"start"')
  })
}

/** `dir` with a lock of a live process in it (the test runner's: wicker runs in this test's own process, whose own lock would be one it left) */
function locked(dir: string): string {
  plantLock(dir, {pid: process.ppid})
  return dir
}

let places: Places
beforeAll(() => {
  const root = tempDir()
  const file = join(root, 'plain-file')
  writeFileSync(file, 'zindle\n')
  const template = flowCourse({seeds: 6}).dir
  const prepared = copyCourse(template)
  expect(wicker(['prepare-segments', prepared, '--packet-size', '4', '--json']).code).toBe(0)
  places = {course: () => copyCourse(template), prepared: () => copyCourse(prepared), nowhere: tempDir(), file, missing: (name) => join(root, 'no-such-folder', name)}
})

/** Asserts the contract on one run: the code, the one envelope and its status, where the message went. */
function expectContract(run: CliRun, row: Row & {stderr?: RegExp}, json: boolean): void {
  expect(run.signal, 'it hung and was killed').toBeNull()
  expect(run.code).toBe(row.code)
  expect(run.stdout).not.toMatch(STACK_TRACE)
  expect(run.stderr).not.toMatch(STACK_TRACE)
  // nothing on stderr is an envelope (launch's NDJSON progress events are not)
  const stderrJson = run.stderr.split('\n').filter((line) => /^\s*[{[]/.test(line) && /"status"/.test(line))
  expect(stderrJson).toEqual([])
  if (json) {
    expect(run.json, `stdout is one JSON document: ${run.stdout.slice(0, 200)}`).toBeDefined()
    expect(run.json.status).toBe(run.code)
    expect(run.json.warnings).toEqual(expect.any(Array))
    if (row.name === undefined) expect(run.json).toHaveProperty('result')
    else {
      expect(run.json).not.toHaveProperty('result')
      expect(run.json.name).toMatch(typeof row.name === 'string' ? new RegExp(`^${row.name}$`) : row.name)
      expect(run.json.message).toMatch(row.says)
      // the message is in the envelope, not also on stderr
      expect(run.stderr).not.toMatch(/^error /m)
    }
  } else {
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(row.stderr ?? /^error /m)
    expect(run.stderr).toMatch(row.says)
  }
}

describe('every command: (command, mistake) → exit code, envelope status, name, message', () => {
  for (const [what, row] of Object.entries(rows)) {
    test.concurrent(what, async () => {
      const args = row.args(places)
      const run = await wickerIn(row.human ? args : [...args, '--json'], {env: row.env})
      expectContract(run, row, !row.human)
    }, 60_000)
  }
})

describe('--json outside a parsed command', () => {
  for (const [what, row] of Object.entries(outside)) {
    test.concurrent(what, async () => {
      const args = row.args(places)
      const json = !row.human || args.includes('--json') || row.env?.WICKER_JSON === '1'
      const run = await wickerIn(row.human ? args : [...args, '--json'], {env: row.env})
      expectContract(run, row, json)
      if (json) expect(run.stderr).toBe('')
    }, 60_000)
  }

  it('a flag before the command: the hint is the command line that works', async () => {
    const run = await wickerIn(['--courses-dir', 'kelp', 'detect', 'qtl_for_qkn', '--json'])
    expect(run.json).toMatchObject({status: 2, name: 'E_USAGE', hint: 'Run `wicker detect qtl_for_qkn --json --courses-dir kelp`.'})
  })

  it('--json --version is the version as a result; --version alone stays one plain line', async () => {
    const {version} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
    expect((await wickerIn(['--json', '--version'])).json).toEqual({status: 0, result: {cliVersion: `wicker/${version}`, version, architecture: `${process.platform}-${process.arch}`, nodeVersion: `node-${process.version}`}, warnings: []})
    expect((await wickerAsync(['--version'])).stdout).toMatch(/^wicker\/\S+ \S+ node-\S+\n$/)
  })
})

describe('warnings noted before a failure go out with it', () => {
  it('merge --json with no --yes and no terminal, after clearing a dead process\'s lock: E_CONFIRM, status 2, and the lock in warnings', async () => {
    const dir = places.course()
    const stale = plantLock(dir, {pid: deadPid(), command: 'wicker merge'})
    const run = await wickerIn(['merge', dir, '--json'])
    expectContract(run, {args: () => [], code: 2, name: 'E_CONFIRM', says: /no terminal/}, true)
    expect(run.json.warnings).toEqual([expect.stringContaining(`cleared the lock of wicker merge (pid ${stale.pid})`)])
    expect(run.json.warnings[0]).toContain(`lock.stale-${stale.lockId}`)
  })

  it('and without --json: the warning, then the error, on stderr', async () => {
    const dir = places.course()
    const stale = plantLock(dir, {pid: deadPid()})
    const run = await wickerIn(['merge', dir])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(new RegExp(`^warning cleared the lock of wicker merge \\(pid ${stale.pid}\\)[^]*\\nerror merge needs confirmation`, 'm'))
  })
})

describe('an interrupted launch', () => {
  it('SIGTERM: exit 143, and the envelope says 143 with the result', async () => {
    const dir = places.prepared()
    const child = spawn(process.execPath, [BIN, 'launch', dir, '--stagger', '0s', '--concurrency', '1', '--grace', '200ms', '--json'], {env: {...process.env, NO_COLOR: '1', WICKER_BUILTIN_DELAY_MS: '3000'}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.resume()
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    // stopped once an agent runs: the launch has a result to report
    expect(await waitFor(() => agentStarted(dir), 20_000)).toBe(true)
    child.kill('SIGTERM')
    expect(await exited).toBe(143)
    const envelope = JSON.parse(stdout)
    expect(envelope).toMatchObject({status: 143, result: {interrupted: true}, warnings: expect.any(Array)})
  }, 60_000)
})
