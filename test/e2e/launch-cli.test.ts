import {spawn} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {BIN, STACK_TRACE, wicker} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'
import {waitFor} from '../helpers/procs.js'

/** A small course with a prepared run: `packets` packets of whole seeds. */
async function preparedCourse(seeds = 12) {
  const dir = writeCourse(tempDir(), generateCourse({seeds, seed: 23, canon: {fill: 0}}))
  // in process: the prepare is not what these tests are about
  const prep = await wickerIn(['prepare-segments', dir, '--packet-size', '8', '--json'])
  expect(prep.code).toBe(0)
  return {dir, run: prep.json.result.run as string, packets: prep.json.result.totals.packets as number}
}

const ledger = (dir: string, run: string) =>
  readFileSync(join(dir, '.wicker', 'runs', run, 'ledger.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
const lockOf = (dir: string, run: string) => join(dir, '.wicker', 'runs', run, 'lock')

/** A --notify command: a real script that records what it got on stdin. */
function recorder(): {cmd: string; file: string} {
  const root = tempDir()
  const file = join(root, 'got.json')
  const script = join(root, 'record.mjs')
  writeFileSync(script, `import {writeFileSync} from 'node:fs'\nlet s = ''\nprocess.stdin.on('data', (d) => (s += d)).on('end', () => writeFileSync(process.argv[2], s))\n`)
  return {cmd: JSON.stringify([process.execPath, script, file]), file}
}

/** Starts the CLI with pipes; resolves its exit code and everything it printed. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {env: {...process.env, NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)))
  return {child, exited, out: () => stdout, err: () => stderr}
}

describe('inputs launch and prepare-segments refuse (exit 2, the valid range named)', () => {
  let course: Awaited<ReturnType<typeof preparedCourse>>
  beforeAll(async () => {
    course = await preparedCourse()
  })

  it.each([
    [['--max-cost-usd', 'abc'], 'E_USD', 'above 0'],
    [['--max-cost-usd', '-2'], 'E_USD', 'above 0'],
    [['--max-cost-usd', 'Infinity'], 'E_USD', 'above 0'],
    [['--timeout', '600h'], 'E_DURATION_RANGE', '1ms to 24h'],
    [['--timeout', '0'], 'E_DURATION_RANGE', '1ms to 24h'],
    [['--idle-timeout', '0s'], 'E_DURATION_RANGE', '1ms to 24h'],
    [['--only', '99'], 'E_ONLY_RANGE', '1-'],
    [['--only', '0'], 'E_ONLY_RANGE', '1-'],
    [['--only', '2-1'], 'E_ONLY_RANGE', 'backwards'],
    [['--only', ''], 'E_ONLY', '1-'],
  ])('launch %j', async (flags, code, range) => {
    const r = await wickerIn(['launch', course.dir, ...flags, '--json'])
    expect(r.code).toBe(2)
    expect(r.json.name).toBe(code)
    expect(`${r.json.message} ${r.json.hint}`).toContain(range)
    // nothing was launched
    expect(existsSync(join(course.dir, '.wicker', 'runs', course.run, 'ledger.ndjson')) ? ledger(course.dir, course.run) : []).toEqual([])
  })

  it('says it to a person as a message and a hint, no stack trace', async () => {
    const human = await wickerIn(['launch', course.dir, '--timeout', '600h'])
    expect(human.code).toBe(2)
    expect(human.stderr).toMatch(/^error --timeout 600h is too long: durations go from 1ms to 24h\.\nhint {2}Give --timeout 24h or less\.\n$/)
    expect(human.stderr).not.toMatch(STACK_TRACE)
  })

  it('launch --only names the packet count of the run', async () => {
    const r = await wickerIn(['launch', course.dir, '--only', '99', '--json'])
    expect(r.json.message).toContain(`1-${course.packets}`)
  })

  it.each([
    ['S0010-S0005', 'backwards'],
    ['S0013-S0020', 'outside'],
  ])('prepare-segments --seeds %s', async (seeds, word) => {
    const r = await wickerIn(['prepare-segments', course.dir, '--seeds', seeds, '--json'])
    expect(r.code).toBe(2)
    expect(r.json.name).toBe('E_SEEDS_RANGE')
    expect(r.json.message).toContain(word)
    expect(r.json.message).toContain('S0001-S0012')
  })
})

describe('before and after a launch', () => {
  it('prints the estimate (with the agent\'s prices from the config) as an event and in the result, and --notify gets the summary on stdin', async () => {
    const {dir, packets} = await preparedCourse()
    const config = join(tempDir(), 'wicker.config.json')
    writeFileSync(config, JSON.stringify({agents: {builtin: {inputUsdPerMTok: 3, outputUsdPerMTok: 15, outputTokensPerLego: 500}}}))
    const notify = recorder()
    const r = await wickerIn(['launch', dir, '--stagger', '0s', '--config', config, '--notify', notify.cmd, '--json'])
    expect(r.code).toBe(0)
    const estimate = r.json.result.estimate
    expect(estimate).toMatchObject({packets})
    expect(estimate.legos).toBeGreaterThan(0)
    expect(estimate.promptTokens).toBeGreaterThan(100)
    expect(estimate.expectedUsd).toBeCloseTo((estimate.promptTokens * 3 + estimate.legos * 500 * 15) / 1e6, 8)
    const events = r.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l))
    expect(events.find((e) => e.type === 'estimate')).toEqual({type: 'estimate', ...estimate})
    const got = JSON.parse(readFileSync(notify.file, 'utf8'))
    expect(got).toMatchObject({kind: 'wicker/launch-summary', status: 'finished', exitCode: 0, signal: null, packets: {ok: packets, failed: 0, total: packets}})

    // the same in the human output
    const again = await wickerIn(['launch', dir, '--stagger', '0s', '--config', config])
    expect(again.stderr).toMatch(/estimate: 0 packet\(s\)/)
  })

  it('a --notify command that fails or hangs is a warning; the exit code is the launch\'s', async () => {
    const {dir} = await preparedCourse()
    const failing = await wickerIn(['launch', dir, '--stagger', '0s', '--only', '1', '--notify', `${process.execPath} -e process.exit(7)`, '--json'])
    expect(failing.code).toBe(0)
    expect(failing.json.warnings.join('\n')).toMatch(/--notify .* exited with 7/)
    const t0 = Date.now()
    const hanging = await wickerIn(['launch', dir, '--stagger', '0s', '--notify', JSON.stringify([process.execPath, '-e', 'setInterval(() => {}, 1000)']), '--notify-timeout', '300ms', '--json'])
    expect(hanging.code).toBe(0)
    expect(hanging.json.warnings.join('\n')).toMatch(/did not finish within 300 ms/)
    expect(Date.now() - t0).toBeLessThan(15_000)
  })
})

describe('signals to launch', () => {
  it('SIGTERM: "stopping every agent (again to kill now)" once, exit 143, counts that add up, never-started packets as not started, and --notify told', async () => {
    const {dir, run, packets} = await preparedCourse(40)
    const notify = recorder()
    const launch = start(['launch', dir, '--stagger', '0s', '--concurrency', '1', '--grace', '200ms', '--notify', notify.cmd], {WICKER_BUILTIN_DELAY_MS: '400'})
    expect(await waitFor(() => existsSync(join(dir, '.wicker', 'runs', run, 'ledger.ndjson')) && ledger(dir, run).some((e) => e.event === 'end'), 20_000)).toBe(true)
    launch.child.kill('SIGTERM')
    expect(await launch.exited).toBe(143)
    expect(launch.err().match(/stopping every agent \(again to kill now\)/g)).toHaveLength(1)
    const got = JSON.parse(readFileSync(notify.file, 'utf8'))
    expect(got).toMatchObject({status: 'stopped', signal: 'SIGTERM', exitCode: 143})
    const p = got.packets
    expect(p.total).toBe(packets)
    expect(p.ok + p.failed + p.interrupted + p.notStarted + p.skipped).toBe(p.total)
    expect(p.notStarted).toBeGreaterThan(0)
    expect(launch.out()).toMatch(new RegExp(`${p.notStarted} not started`))
    expect(existsSync(lockOf(dir, run))).toBe(false)
  })

  it('SIGINT twice: the second one asks to kill at once, exit 130', async () => {
    const {dir, run} = await preparedCourse(24)
    const launch = start(['launch', dir, '--stagger', '0s', '--concurrency', '2', '--grace', '5s'], {WICKER_BUILTIN_DELAY_MS: '400'})
    expect(await waitFor(() => /started/.test(launch.err()), 20_000)).toBe(true)
    launch.child.kill('SIGINT')
    expect(await waitFor(() => /stopping every agent/.test(launch.err()), 5000)).toBe(true)
    launch.child.kill('SIGINT')
    expect(await launch.exited).toBe(130)
    expect(launch.err()).toMatch(/SIGINT: killing every agent now/)
    expect(existsSync(lockOf(dir, run))).toBe(false)
  })
})

describe('a closed pipe on wicker\'s own output', () => {
  it('the reader of stderr going away mid-run: launch carries on, finishes every packet, releases its lock, exits 0', async () => {
    // 16 seeds: 6 packets, 2 at a time, so most of them end (and print) after stderr is gone
    const {dir, run, packets} = await preparedCourse(16)
    const launch = start(['launch', dir, '--stagger', '0s', '--concurrency', '2'], {WICKER_BUILTIN_DELAY_MS: '150'})
    // read the first progress line, then close our end of the pipe: every later write gets EPIPE
    expect(await waitFor(() => launch.err().includes('\n'), 20_000)).toBe(true)
    launch.child.stderr.destroy()
    expect(await launch.exited).toBe(0)
    const ends = ledger(dir, run).filter((e) => e.event === 'end')
    expect(ends.filter((e) => e.class === 'ok')).toHaveLength(packets)
    expect(existsSync(lockOf(dir, run))).toBe(false)
  })

  it('`launch --json | true`: stdout\'s reader is gone before the envelope is written; the work is done, the exit code is the work\'s', async () => {
    const {dir, run, packets} = await preparedCourse(16)
    const launch = start(['launch', dir, '--stagger', '0s', '--json'])
    // like `| true`: the reader closes its end at once, so the envelope's write gets EPIPE
    launch.child.stdout.destroy()
    expect(await launch.exited).toBe(0)
    expect(launch.err()).not.toMatch(/EPIPE|Internal error/)
    expect(ledger(dir, run).filter((e) => e.event === 'end' && e.class === 'ok')).toHaveLength(packets)
    expect(existsSync(lockOf(dir, run))).toBe(false)
  })

  it('any command: stderr\'s reader gone is not a crash, the exit code is the one the command earned', async () => {
    const {dir} = await preparedCourse(16)
    const expected = await wickerIn(['prepare-segments', dir, '--packet-size', '3'])
    expect(expected.stderr).not.toBe('')
    const prep = start(['prepare-segments', dir, '--packet-size', '3'])
    prep.child.stderr.destroy()
    expect(await prep.exited).toBe(expected.code)
    expect(prep.out()).toContain('Run ')
  })
})
