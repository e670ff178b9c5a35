import {existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../../bench/synth/generate.js'
import {writeCourse} from '../../../bench/synth/write.js'
import {runExtract} from '../../../src/core/extract/run.js'
import {sha256Hex} from '../../../src/core/hash.js'
import {runLaunch, type LaunchOptions} from '../../../src/core/launch/launch.js'
import {runRecover} from '../../../src/core/merge/run-recover.js'
import {runPrepare} from '../../../src/core/segments/run.js'
import {realDisk} from '../../../src/core/store/disk.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {readState} from '../../../src/core/store/state.js'
import {snapshotTree, tempDir, writeTree} from '../../helpers/fs.js'
import {canonBytes} from '../../helpers/flow.js'

/**
 * Names under .wicker/ are predictable (a journal's tx, a staging file's hash, a run's content hash,
 * a packet id), and a course folder comes from anyone: a symlink planted at such a name, or a
 * .wicker (or runs/, runs/<run>/) that is itself a symlink, must never carry a write out of the
 * course. Each case plants a real symlink to a file in a sibling folder "outside" and checks its
 * bytes after the command: it works without touching it, or refuses with exit 2 or 3.
 */
const PRECIOUS = 'precious vorl grem' // no trailing newline: a torn-line repair would append one
const TX = 'merge-20240101T000000Z-abcdef'
const STAGING = 'phase5_baskets_staging'

function course() {
  const dir = writeCourse(tempDir(), generateCourse({seeds: 6, seed: 9, canon: {fill: 0}}))
  const outside = join(dirname(dir), 'outside')
  mkdirSync(outside, {recursive: true})
  const victim = join(outside, 'victim')
  writeFileSync(victim, PRECIOUS)
  return {dir, outside, victim, paths: wickerPaths(dir)}
}

const plant = (link: string, target: string) => {
  mkdirSync(dirname(link), {recursive: true})
  symlinkSync(target, link)
}

/** A journal as one could ship it: a committed merge whose `done` never came, so recovery finishes it. */
function plantCommitted(dir: string, fields: {after: string; moves?: unknown[]}) {
  const begin = {type: 'begin', tx: TX, kind: 'merge', at: 'x', planId: null, target: null, before: null, after: fields.after, backup: null, moves: fields.moves ?? [], counts: {added: 0, updated: 0, adopted: 0}}
  writeTree(dir, {'.wicker/journal.ndjson': `${JSON.stringify(begin)}\n${JSON.stringify({type: 'commit', tx: TX, at: 'x'})}\n`})
}

const launchOptions = (dir: string, run: string): LaunchOptions => ({
  course: dir,
  cwd: dir,
  run,
  // from src/ the built-in agent's script is not there, so each attempt fails fast: what is
  // checked here is where launch writes its ledger and logs, not the agent
  agent: 'builtin',
  concurrency: 1,
  staggerMs: 0,
  jitter: 0,
  timeoutMs: 20_000,
  idleTimeoutMs: 20_000,
  graceMs: 200,
  retries: 0,
  backoffMs: 10,
  halt: 1,
  maxCostUsd: null,
  resume: false,
  retryFailed: false,
  only: '1',
})

async function preparedRun() {
  const c = course()
  const {result} = await runPrepare({course: c.dir, cwd: c.dir, packetSize: 20})
  const plan = JSON.parse(readFileSync(join(result.dir, 'plan.json'), 'utf8'))
  return {...c, run: result.run, runDir: result.dir, packet: plan.packets[0].id as string}
}

describe('state.json', () => {
  it('is written by a fresh temp name, never through a symlink planted at the temp name a journal tx predicts', async () => {
    const {dir, victim, paths} = course()
    plantCommitted(dir, {after: sha256Hex(canonBytes(dir)!)})
    plant(`${paths.state}.${TX}.tmp`, victim)
    const {warnings} = await runExtract({course: dir, cwd: dir})
    expect(warnings.join('\n')).toMatch(`finished merge ${TX}`)
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS)
    expect(lstatSync(paths.state).isFile()).toBe(true)
    expect(JSON.parse(readFileSync(paths.state, 'utf8'))).toMatchObject({lastTx: TX, generation: 1})
  })

  it('that cannot be read (a folder: EISDIR) is exit 4, not "no state" and a new lineage', async () => {
    const {dir, paths} = course()
    mkdirSync(paths.state, {recursive: true})
    await expect(readState(realDisk, paths)).rejects.toMatchObject({exitCode: 4, code: 'E_IO_EISDIR', message: expect.stringContaining(paths.state)})
    // and so a merge that would start a new lineage (and reset backup generations) refuses instead
    plantCommitted(dir, {after: sha256Hex(canonBytes(dir)!)})
    await expect(runExtract({course: dir, cwd: dir})).rejects.toMatchObject({exitCode: 4})
    expect(lstatSync(paths.state).isDirectory()).toBe(true)
  })

  it('that is missing is no state, and one that fails its schema is not trusted: refused for writers, a warning for readers', async () => {
    const {paths} = course()
    expect(await readState(realDisk, paths)).toBeNull()
    writeTree(paths.root, {'state.json': {lineage: 'x', generation: -4, canonSha256: null, lastTx: null}})
    await expect(readState(realDisk, paths)).rejects.toMatchObject({exitCode: 3, code: 'E_STATE_DAMAGED', message: expect.stringContaining('generation:')})
    const warnings: string[] = []
    expect(await readState(realDisk, paths, {warnings})).toBeNull()
    expect(warnings).toEqual([expect.stringContaining(paths.state)])
  })
})

describe('recovery of a committed transaction', () => {
  it('refuses (E_RECOVERY, exit 3) when canon is not what the commit left, and moves nothing', async () => {
    const {dir, paths} = course()
    writeTree(dir, {[`${STAGING}/brul.json`]: '{"kind": "zint"}\n'})
    const sha = sha256Hex(readFileSync(join(dir, STAGING, 'brul.json')))
    plantCommitted(dir, {after: 'ab'.repeat(32), moves: [[`${STAGING}/brul.json`, `${STAGING}/.applied/${TX}/brul.json`, sha]]})
    const refused = await runExtract({course: dir, cwd: dir}).then(() => null, (error: unknown) => error)
    expect(refused).toMatchObject({code: 'E_RECOVERY', exitCode: 3, hint: expect.stringContaining(`--abandon ${TX}`)})
    expect(existsSync(join(dir, STAGING, 'brul.json'))).toBe(true)
    expect(existsSync(join(dir, STAGING, '.applied'))).toBe(false)
    expect(existsSync(paths.state)).toBe(false)
    // the way out the hint names works, and the next command runs
    await runRecover({course: dir, cwd: dir, abandon: TX})
    await expect(runExtract({course: dir, cwd: dir})).resolves.toBeTruthy()
  })
})

describe('extract quarantine', () => {
  function badStaging() {
    const c = course()
    writeTree(c.dir, {[`${STAGING}/bad.json`]: '{"S0001L01": ['})
    const name = `${sha256Hex(readFileSync(join(c.dir, STAGING, 'bad.json'))).slice(0, 12)}__bad.json`
    return {...c, name}
  }

  it('never writes a reason file through a symlink planted at its predictable name', async () => {
    const {dir, victim, paths, name} = badStaging()
    plant(join(paths.quarantine, `${name}.reason.json`), victim)
    await runExtract({course: dir, cwd: dir})
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS)
    expect(readFileSync(join(paths.quarantine, name), 'utf8')).toBe('{"S0001L01": [')
  })

  it('never copies through a dangling symlink planted at the copy name (it counts as quarantined)', async () => {
    const {dir, outside, paths, name} = badStaging()
    plant(join(paths.quarantine, name), join(outside, 'made'))
    plant(join(paths.quarantine, `${name}.reason.json`), join(outside, 'made.reason'))
    const {result} = await runExtract({course: dir, cwd: dir})
    expect(result.quarantined).toBe(0)
    expect(readdirSync(outside).sort()).toEqual(['victim'])
  })
})

describe('prepare-segments', () => {
  it('never writes a prompt through a symlink planted at its name (run and packet names are predictable)', async () => {
    const {dir, victim, run, runDir, packet} = await preparedRun()
    rmSync(runDir, {recursive: true})
    plant(join(runDir, 'prompts', 'orchestrator-s1-o1.md'), victim)
    plant(join(runDir, 'prompts', `${packet}.md`), victim)
    const {result} = await runPrepare({course: dir, cwd: dir, packetSize: 20})
    expect(result.run).toBe(run)
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS)
    expect(lstatSync(join(runDir, 'prompts', `${packet}.md`)).isFile()).toBe(true)
    expect(lstatSync(join(runDir, 'prompts', 'orchestrator-s1-o1.md')).isFile()).toBe(true)
  })

  it('refuses an existing run plan that is not JSON with exit 2, naming the file', async () => {
    const {dir, runDir} = await preparedRun()
    writeFileSync(join(runDir, 'plan.json'), '{bad')
    await expect(runPrepare({course: dir, cwd: dir, packetSize: 20})).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining(join(runDir, 'plan.json'))})
  })
})

describe('launch', () => {
  it('refuses a ledger that is a symlink, and leaves its target as it was', async () => {
    const {dir, victim, run, runDir} = await preparedRun()
    plant(join(runDir, 'ledger.ndjson'), victim)
    await expect(runLaunch(launchOptions(dir, run))).rejects.toMatchObject({code: 'E_UNSAFE_PATH', exitCode: 2, message: expect.stringContaining('ledger.ndjson')})
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS)
  })

  it('never appends an attempt log through a symlink planted at its name', async () => {
    const {dir, victim, run, runDir, packet} = await preparedRun()
    plant(join(runDir, 'logs', `${packet}__1.stdout`), victim)
    plant(join(runDir, 'logs', `${packet}__1.stderr`), victim)
    const {result} = await runLaunch(launchOptions(dir, run))
    expect(result.attempts).toBe(1)
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS)
    expect(lstatSync(join(runDir, 'logs', `${packet}__1.stderr`)).isFile()).toBe(true)
  })

  it('refuses a work/ folder that is a symlink: nothing outside is removed or written', async () => {
    const {dir, outside, run, runDir, packet} = await preparedRun()
    writeFileSync(join(outside, `${packet}__1.json`), PRECIOUS)
    plant(join(runDir, 'work'), outside)
    const there = snapshotTree(outside)
    await expect(runLaunch(launchOptions(dir, run))).rejects.toMatchObject({code: 'E_UNSAFE_PATH', exitCode: 2})
    expect(snapshotTree(outside)).toEqual(there)
  })
})

describe('a folder of .wicker that is a symlink out of the course', () => {
  type Which = (paths: ReturnType<typeof wickerPaths>, runDir: string) => string
  const FOLDERS: Array<[string, Which]> = [
    ['.wicker', (paths) => paths.root],
    ['.wicker/runs', (paths) => paths.runs],
    ['.wicker/runs/<run>', (_, runDir) => runDir],
  ]
  const outcome = (work: () => Promise<unknown>) => work().then(() => null, (error: unknown) => error)

  for (const [name, which] of FOLDERS) {
    it(`${name} linked to an empty folder outside: extract and prepare-segments refuse (exit 2) or stay inside`, async () => {
      const p = await preparedRun()
      writeTree(p.dir, {[`${STAGING}/bad.json`]: '{"S0001L01": ['})
      const folder = which(p.paths, p.runDir)
      rmSync(folder, {recursive: true})
      const empty = join(p.outside, 'empty')
      mkdirSync(empty)
      symlinkSync(empty, folder)
      const extract = await outcome(() => runExtract({course: p.dir, cwd: p.dir}))
      expect(readdirSync(empty), 'extract').toEqual([])
      const prepare = await outcome(() => runPrepare({course: p.dir, cwd: p.dir, packetSize: 20}))
      expect(readdirSync(empty), 'prepare-segments').toEqual([])
      // prepare-segments writes in the run's folder: it cannot stay inside, so it refuses
      expect(prepare).toMatchObject({code: 'E_UNSAFE_PATH', exitCode: 2, message: expect.stringContaining(folder)})
      if (name === '.wicker') expect(extract).toMatchObject({code: 'E_UNSAFE_PATH', exitCode: 2, message: expect.stringContaining(folder)})
      else expect(extract).toBeNull()
    })

    it(`${name} moved outside and linked back: launch refuses (exit 2) and writes nothing there`, async () => {
      const p = await preparedRun()
      const folder = which(p.paths, p.runDir)
      const moved = join(p.outside, 'moved')
      renameSync(folder, moved)
      symlinkSync(moved, folder)
      const there = snapshotTree(p.outside)
      await expect(runLaunch(launchOptions(p.dir, p.run))).rejects.toMatchObject({code: 'E_UNSAFE_PATH', exitCode: 2, message: expect.stringContaining(folder)})
      expect(snapshotTree(p.outside)).toEqual(there)
    })
  }
})

describe('the journal', () => {
  it('is never appended to through a symlink (recover --abandon refuses, exit 2, the target unchanged)', async () => {
    const {dir, outside, paths} = course()
    // the journal the link leads to holds an interrupted merge, so recovery has something to abandon
    const begin = {type: 'begin', tx: TX, kind: 'merge', at: 'x', planId: null, target: null, before: null, after: 'ab'.repeat(32), backup: null, moves: [], counts: {added: 0, updated: 0, adopted: 0}}
    const victim = join(outside, 'journal.ndjson')
    writeFileSync(victim, `${JSON.stringify(begin)}\n`)
    const bytes = readFileSync(victim)
    plant(paths.journal, victim)
    await expect(runRecover({course: dir, cwd: dir, abandon: TX})).rejects.toMatchObject({code: 'E_UNSAFE_PATH', exitCode: 2, message: expect.stringContaining(paths.journal)})
    expect(readFileSync(victim)).toEqual(bytes)
  })
})
