import {spawn} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {killTrial, mergeDuration, mergedOnce, type KillOutcome} from '../../bench/kill-merge.js'
import {wicker} from '../helpers/cli.js'
import {flowCourse} from '../helpers/flow.js'
import {BIN} from '../helpers/cli.js'

describe.each(['serialised', 'spliced'] as const)('killing wicker merge with SIGKILL at random moments (canon %s)', (kind) => {
  it('leaves canon as before or as planned, and the next run finishes (25 trials; 50 over both)', async () => {
    const f = flowCourse({seeds: 80})
    if (kind === 'spliced') mergedOnce(f.dir)
    expect(wicker(['preview', f.dir, '--out', join(f.dir, 'plan.json')]).code).toBe(0)
    const duration = [mergeDuration(f.dir), mergeDuration(f.dir), mergeDuration(f.dir)].sort((a, b) => a - b)[1]!
    const outcomes: KillOutcome[] = []
    for (let i = 0; i < 22; i++) {
      // spread the kills over the whole run and a little past it (machines under load run slower)
      outcomes.push(await killTrial(f.dir, (1.5 * duration * (i + Math.random())) / 22))
    }
    // and a few surely after it ends, so both outcomes are always exercised
    for (let i = 0; i < 3; i++) outcomes.push(await killTrial(f.dir, 3 * duration))
    console.log(`kills (${kind}): ${outcomes.filter((o) => o.state === 'before').length} before, ${outcomes.filter((o) => o.state === 'after').length} after, ${outcomes.filter((o) => o.interrupted).length} interrupted mid-transaction; merge takes ${duration} ms`)
    expect(outcomes.filter((o) => o.state === 'before').length).toBeGreaterThan(0)
    expect(outcomes.filter((o) => o.state === 'after').length).toBeGreaterThan(0)
  }, 480_000)
})

describe('five wicker merge processes at once on one course', () => {
  it('exactly one commits; every other exits 3 with "lock held" or "stale plan"; nothing is lost', async () => {
    const f = flowCourse({seeds: 60, formats: ['F1']})
    const files = readdirSync(join(f.dir, 'phase5_baskets_staging')).sort()
    // five disjoint staging folders, each with its own plan, all made against the same canon
    const {mkdirSync, renameSync} = await import('node:fs')
    for (let i = 0; i < 5; i++) mkdirSync(join(f.dir, `batch${i}`))
    files.forEach((name, i) => renameSync(join(f.dir, 'phase5_baskets_staging', name), join(f.dir, `batch${i % 5}`, name)))
    for (let i = 0; i < 5; i++) expect(wicker(['preview', f.dir, '--staging', join(f.dir, `batch${i}`), '--out', join(f.dir, `plan${i}.json`)]).code).toBe(0)
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
      expect(['E_LOCK_HELD', 'E_STALE_PLAN']).toContain(JSON.parse(r.out).error.code)
    }
    const winner = JSON.parse(winners[0]!.out).result
    const after = JSON.parse(readFileSync(join(f.dir, 'lego_baskets.json'), 'utf8')).baskets
    for (const [id, basket] of Object.entries(before)) expect(after[id]).toEqual(basket)
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), ...winner.added].sort())
    // the losers' staging is untouched, ready for the next run
    for (const r of runs.filter((x) => x.code !== 0)) expect(readdirSync(join(f.dir, `batch${r.i}`)).filter((n) => !n.startsWith('.')).length).toBeGreaterThan(0)
  }, 60_000)
})
