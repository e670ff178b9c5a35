import {spawn} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {mergedOnce} from '../../bench/kill-merge.js'
import {wickerIn} from '../helpers/cli-in.js'
import {BIN} from '../helpers/cli.js'
import {flowCourse} from '../helpers/flow.js'
import {MID_TRANSACTION, killTrial, timeMerge, type KillAim, type KillOutcome, type Landed} from '../helpers/merge-kill.js'

/** ms the killed merges pause between their transaction's steps (WICKER_TEST_STEP_DELAY_MS) */
const STEP_MS = 80

describe.each(['serialised', 'spliced'] as const)('killing wicker merge with SIGKILL at random moments (canon %s)', (kind) => {
  it('lands kills mid-transaction, and every one recovers to canon as before or as planned with nothing lost', async () => {
    const f = flowCourse({seeds: 6})
    if (kind === 'spliced') mergedOnce(f.dir)
    expect((await wickerIn(['preview', f.dir, '--out', join(f.dir, 'plan.json')])).code).toBe(0)
    const run = timeMerge(f.dir, STEP_MS)
    const moves = (JSON.parse(readFileSync(join(f.dir, 'plan.json'), 'utf8')) as {consume: unknown[]}).consume.length
    const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo)
    // Each kill at a random moment inside one step of the merge, timed from the step seen on disk.
    // A pause follows each step, so a kill within 0.6 of a pause after it lands before the next.
    const aims: KillAim[] = [
      // while it starts, reads and plans
      {from: 'spawn', ms: rand(0, 0.9 * run.beginMs)},
      // begin written, canon not yet replaced: after the begin record, the backup, the temp file
      {from: 'begin', ms: rand(0, 0.6 * STEP_MS)},
      {from: 'backup', ms: rand(0, 0.6 * STEP_MS)},
      {from: 'temp', ms: rand(0, 0.6 * STEP_MS)},
      // canon replaced, no commit record yet
      {from: 'rename', ms: rand(0, 0.6 * STEP_MS)},
      // committed, state.json and the moves under way (a pause after the state and after each link)
      ...[0, 1].map(() => ({from: 'commit' as const, ms: rand(0, 0.8 * (1 + moves) * STEP_MS)})),
    ]
    // two at a time, each on its own copy of the course
    const outcomes: KillOutcome[] = []
    for (let i = 0; i < aims.length; i += 2) outcomes.push(...(await Promise.all(aims.slice(i, i + 2).map((aim) => killTrial(f.dir, aim, STEP_MS)))))

    const count = (p: (o: KillOutcome) => boolean) => outcomes.filter(p).length
    const landed = (l: Landed) => count((o) => o.landed === l)
    const mid = count((o) => MID_TRANSACTION.has(o.landed))
    console.log(
      `kills (${kind}, merge ${run.totalMs} ms, begin at ${run.beginMs} ms, ${STEP_MS} ms pauses, ${moves} moves): ` +
        `${landed('before-begin')} before begin, ${landed('begun')} begun (rolled back), ${landed('replaced')} canon replaced before commit (rolled forward), ` +
        `${landed('committed')} committed with moves unfinished (finished), ${landed('done')} done; ${mid} of ${outcomes.length} mid-transaction, ` +
        `${count((o) => o.killed)} killed a running merge`,
    )
    // the kills must really land inside the transaction, or this test proves nothing about recovery
    expect(mid, `kills landed mid-transaction (begin without commit): ${JSON.stringify(outcomes)}`).toBeGreaterThanOrEqual(3)
    expect(landed('committed'), 'kills landed between commit and done').toBeGreaterThan(0)
    expect(count((o) => o.state === 'before')).toBeGreaterThan(0)
    expect(count((o) => o.state === 'after')).toBeGreaterThan(0)
  }, 120_000)
})

describe('five wicker merge processes at once on one course', () => {
  it('exactly one commits; every other exits 3 with "lock held" or "stale plan"; nothing is lost', async () => {
    const f = flowCourse({seeds: 60, formats: ['F1']})
    const files = readdirSync(join(f.dir, 'phase5_baskets_staging')).sort()
    // five disjoint staging folders, each with its own plan, all made against the same canon
    const {mkdirSync, renameSync} = await import('node:fs')
    for (let i = 0; i < 5; i++) mkdirSync(join(f.dir, `batch${i}`))
    files.forEach((name, i) => renameSync(join(f.dir, 'phase5_baskets_staging', name), join(f.dir, `batch${i % 5}`, name)))
    for (let i = 0; i < 5; i++) expect((await wickerIn(['preview', f.dir, '--staging', join(f.dir, `batch${i}`), '--out', join(f.dir, `plan${i}.json`)])).code).toBe(0)
    const before = JSON.parse(readFileSync(join(f.dir, 'lego_baskets.json'), 'utf8')).baskets

    const runs = await Promise.all(
      [0, 1, 2, 3, 4].map(
        (i) =>
          new Promise<{i: number; code: number | null; out: string}>((resolve) => {
            const child = spawn(process.execPath, [BIN, 'merge', f.dir, '--plan', join(f.dir, `plan${i}.json`), '--staging', join(f.dir, `batch${i}`), '--json'], {env: {...process.env, NO_COLOR: '1'}})
            let out = ''
            child.stdout.on('data', (d) => (out += d))
            child.on('exit', (code) => resolve({i, code, out}))
          }),
      ),
    )
    const winners = runs.filter((r) => r.code === 0)
    expect(winners).toHaveLength(1)
    for (const r of runs.filter((x) => x.code !== 0)) {
      expect(r.code).toBe(3)
      expect(['E_LOCK_HELD', 'E_STALE_PLAN']).toContain(JSON.parse(r.out).name)
    }
    const winner = JSON.parse(winners[0]!.out).result
    const after = JSON.parse(readFileSync(join(f.dir, 'lego_baskets.json'), 'utf8')).baskets
    for (const [id, basket] of Object.entries(before)) expect(after[id]).toEqual(basket)
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), ...winner.added].sort())
    // the losers' staging is untouched, ready for the next run
    for (const r of runs.filter((x) => x.code !== 0)) expect(readdirSync(join(f.dir, `batch${r.i}`)).filter((n) => !n.startsWith('.')).length).toBeGreaterThan(0)
  }, 60_000)
})
