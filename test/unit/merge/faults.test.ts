import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {mergedOnce} from '../../../bench/kill-merge.js'
import {sha256Hex} from '../../../src/core/hash.js'
import {runMerge} from '../../../src/core/merge/run.js'
import {runRestore} from '../../../src/core/merge/restore.js'
import {runPreview} from '../../../src/core/preview/run.js'
import {readJournal, transactions} from '../../../src/core/store/journal.js'
import {realDisk} from '../../../src/core/store/disk.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {FaultyDisk, canonBytes, copyCourse, flowCourse} from '../../helpers/flow.js'

/**
 * SQLite-style fault injection: the k-th file operation of a merge fails (EIO, ENOSPC, EACCES), or
 * the process "dies" there (that operation and every later one fail, so no clean-up runs). After
 * each trial, canon must be byte-equal to before or to the planned after, and the next run must
 * recover and finish with exactly the planned canon.
 */
describe.each(['serialised', 'spliced'] as const)('a merge failing at each I/O step (canon %s)', async (written) => {
  // small: every kind of I/O step still fails once per loop (begin, backup, temp, rename, commit, state,
  // each move, done); a bigger course only repeats the per-file steps, at one merge each
  const generated = flowCourse({seeds: 6})
  const start = written === 'serialised' ? {dir: generated.dir, files: generated.files.map((f) => f.name).sort()} : {dir: generated.dir, files: mergedOnce(generated.dir)}
  const template = {dir: start.dir}
  const priorCommits = written === 'serialised' ? 0 : 1
  const plan = join(template.dir, 'plan.json')
  await runPreview({course: template.dir, cwd: template.dir, out: plan})
  const before = canonBytes(template.dir)!

  // How many operations a clean merge takes, and the canon it writes (its hash is fixed by the plan only up to tx metadata).
  const counting = new FaultyDisk(Number.MAX_SAFE_INTEGER, 'EIO', false)
  const clean = copyCourse(template.dir)
  const {result} = await runMerge({course: clean, cwd: clean, plan, disk: counting})
  const steps = counting.ops
  const points = faultPoints(counting.log, start.files)

  it(`writes canon ${written}, in a known number of steps (${steps}), and the loops fail each kind of step (${points.length})`, () => {
    expect(result.written).toBe(written)
    expect(steps).toBeGreaterThan(15)
    // every step but the moves of the files between the second and the last, which repeat the second's
    expect(points.length).toBeGreaterThanOrEqual(steps - 4 * (start.files.length - 3))
    expect(points).toContain(1)
    expect(points).toContain(steps)
    for (const op of ['mkdir', 'writeFile', 'rename', 'link', 'readdir', 'readFile', 'append', 'syncDir', 'sha256', 'unlink'])
      expect(points.some((k) => counting.log[k - 1]!.split(' ')[1] === op), op).toBe(true)
  })

  for (const [code, crash, torn] of [['EIO', false, false], ['ENOSPC', false, false], ['EACCES', false, false], ['EIO', true, false], ['EIO', true, true]] as const) {
    it(`${torn ? 'crash in mid-write' : crash ? 'crash' : code}: canon is always before or after, and the next run recovers`, async () => {
      const outcomes = new Set<string>()
      await inBatches(points, TRIALS_AT_ONCE, async (k) => {
        const dir = copyCourse(template.dir)
        const disk = new FaultyDisk(k, code, crash, torn)
        const failed = await runMerge({course: dir, cwd: dir, plan, disk}).then(
          () => false,
          () => true,
        )
        const journal = transactions(await readJournal(realDisk, wickerPaths(dir)))
        const planned = journal.at(-1)?.begin.after ?? null
        const now = canonBytes(dir)!
        const state = sha256Hex(now) === sha256Hex(before) ? 'before' : sha256Hex(now) === planned ? 'after' : 'TORN'
        expect(state, `step ${k}: ${disk.log.at(-1)}`).not.toBe('TORN')
        outcomes.add(`${failed ? 'failed' : 'ok'}:${state}`)

        // The next run finishes or rolls back, then the plan applies (or is already applied).
        const next = (await runMerge({course: dir, cwd: dir, plan})).result
        expect(['merged', 'already-applied']).toContain(next.status)
        const txs = transactions(await readJournal(realDisk, wickerPaths(dir)))
        const committed = txs.filter((t) => t.status === 'committed').slice(priorCommits)
        expect(committed, `step ${k}`).toHaveLength(1)
        expect(sha256Hex(canonBytes(dir)!)).toBe(committed[0]!.begin.after)
        expect(txs.every((t) => t.status !== 'open')).toBe(true)
        expect(txs.at(-1)!.done).toBe(true)
        // nothing left behind: no temp file, no lock, every staging file moved exactly once
        expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
        expect(existsSync(wickerPaths(dir).lock)).toBe(false)
        expect(readdirSync(join(dir, 'phase5_baskets_staging'))).toEqual(['.applied'])
        const moved = readdirSync(join(dir, 'phase5_baskets_staging', '.applied', committed[0]!.begin.tx))
        expect(moved.sort()).toEqual(start.files)
      })
      // the loop reached both sides of the rename
      expect([...outcomes].some((o) => o.endsWith(':before'))).toBe(true)
      expect([...outcomes].some((o) => o.endsWith(':after'))).toBe(true)
      // two merges per I/O step, a few at once: a few seconds alone, several times that on a loaded 2-core machine
    }, 240_000)
  }
})

/** trials run side by side, each on its own copy of the course: a merge mostly waits on the disk */
const TRIALS_AT_ONCE = 4

/** Runs `trial` on every item, `n` at a time; the first failure fails the whole. */
async function inBatches<T>(items: readonly T[], n: number, trial: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += n) await Promise.all(items.slice(i, i + n).map(trial))
}

/**
 * The steps to fail, from a clean merge's log (FaultyDisk.log, "<k> <op> <path>"): every one, except
 * the moves of staging files after the second and before the last. Each staged file's move is the
 * same four steps (hash, mkdir .applied/<tx>, link, unlink); the first file makes .applied/<tx>, the
 * second finds it made, the last is followed by the done record: the files between repeat the second.
 */
function faultPoints(log: readonly string[], files: readonly string[]): number[] {
  const owner = log.map((line) => files.find((f) => line.endsWith(`/${f}`)) ?? null)
  // the mkdir of .applied/<tx> belongs to the move it starts
  for (let i = owner.length - 2; i >= 0; i--) if (owner[i] === null && / mkdir \.applied\//.test(log[i]!)) owner[i] = owner[i + 1]!
  const order = [...new Set(owner.filter((o): o is string => o !== null))]
  const kept = new Set([...order.slice(0, 2), order.at(-1)])
  return log.flatMap((_, i) => (owner[i] === null || kept.has(owner[i]!) ? [i + 1] : []))
}

describe('interrupted journals and restores', () => {
  const template = flowCourse({seeds: 12})
  const plan = join(template.dir, 'plan.json')
  const before = canonBytes(template.dir)!
  beforeAll(async () => {
    await runPreview({course: template.dir, cwd: template.dir, out: plan})
  })

  it('a journal line torn by a kill does not swallow the next record', async () => {
    const {appendFileSync, readFileSync} = await import('node:fs')
    const dir = copyCourse(template.dir)
    const count = new FaultyDisk(Number.MAX_SAFE_INTEGER, 'EIO', false)
    await runMerge({course: copyCourse(template.dir), cwd: dir, plan, disk: count})
    // die right after canon was replaced, in the middle of writing the commit record
    const renameAt = count.log.findIndex((l) => l.includes('rename') && l.includes('lego_baskets.json')) + 1
    await runMerge({course: dir, cwd: dir, plan, disk: new FaultyDisk(renameAt + 1, 'EIO', true)}).catch(() => undefined)
    appendFileSync(wickerPaths(dir).journal, '{"type":"commit","tx":"merge-')
    const next = (await runMerge({course: dir, cwd: dir, plan})).result
    expect(next.status).toBe('already-applied')
    const lines = readFileSync(wickerPaths(dir).journal, 'utf8').split('\n')
    expect(lines.filter((l) => l.startsWith('{"type":"commit","tx":"merge-') && !l.endsWith('}'))).toHaveLength(1)
    expect(transactions(await readJournal(realDisk, wickerPaths(dir))).map((t) => t.status)).toEqual(['committed'])
  })

  it('the next extract finishes an interrupted merge too', async () => {
    const {runExtract} = await import('../../../src/core/extract/run.js')
    const dir = copyCourse(template.dir)
    // die right after canon was replaced, before the commit record
    const count = new FaultyDisk(Number.MAX_SAFE_INTEGER, 'EIO', false)
    await runMerge({course: copyCourse(template.dir), cwd: dir, plan, disk: count})
    const renameAt = count.log.findIndex((l) => l.includes('rename') && l.includes('lego_baskets.json')) + 1
    await runMerge({course: dir, cwd: dir, plan, disk: new FaultyDisk(renameAt + 1, 'EIO', true)}).catch(() => undefined)
    expect(transactions(await readJournal(realDisk, wickerPaths(dir))).at(-1)!.status).toBe('open')
    const {warnings} = await runExtract({course: dir, cwd: dir})
    expect(warnings.join('\n')).toMatch(/finished merge .* interrupted after canon was written/)
    const last = transactions(await readJournal(realDisk, wickerPaths(dir))).at(-1)!
    expect(last).toMatchObject({status: 'committed', done: true})
  })

  it('restore failing at each step leaves canon as it was or as restored, and the next restore recovers', async () => {
    const merged = copyCourse(template.dir)
    await runMerge({course: merged, cwd: merged, plan})
    const after = canonBytes(merged)!
    const count = new FaultyDisk(Number.MAX_SAFE_INTEGER, 'EIO', false)
    await runRestore({course: copyCourse(merged), cwd: merged, disk: count})
    await inBatches(Array.from({length: count.ops}, (_, i) => i + 1), TRIALS_AT_ONCE, async (k) => {
      const dir = copyCourse(merged)
      await runRestore({course: dir, cwd: dir, disk: new FaultyDisk(k, 'EIO', true)}).catch(() => undefined)
      const now = sha256Hex(canonBytes(dir)!)
      expect([sha256Hex(before), sha256Hex(after)], `step ${k}`).toContain(now)
      const txs = transactions(await readJournal(realDisk, wickerPaths(dir)))
      if (txs.at(-1)?.begin.kind === 'restore' && txs.at(-1)?.status !== 'aborted') {
        // interrupted restore: the next command finishes or rolls it back
        await runRestore({course: dir, cwd: dir}).catch(() => undefined)
      } else await runRestore({course: dir, cwd: dir})
      const final = transactions(await readJournal(realDisk, wickerPaths(dir)))
      expect(final.every((t) => t.status !== 'open')).toBe(true)
      expect(sha256Hex(canonBytes(dir)!)).toBe(final.filter((t) => t.status === 'committed').at(-1)!.begin.after)
    })
  })
})
