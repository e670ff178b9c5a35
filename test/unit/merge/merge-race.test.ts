import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../../helpers/fs.js'
import {flowCourse} from '../../helpers/flow.js'
import {deadPid, pidFree, plantLock} from '../../helpers/lock.js'
import {startRacers} from '../../helpers/race.js'

/**
 * The race that lost a merge: several writers find the same stale lock (its holder died) at once.
 * Four processes merge four staging batches into one course over a planted stale lock, 200 times;
 * in every trial each basket a merge reports as added must be in canon, and nothing else changes.
 * (test/e2e/merge-race.test.ts runs the same race with the real CLI, fewer times.)
 */
const RACER = fileURLToPath(new URL('./merge-racer.mjs', import.meta.url))
const RACERS = 4
const TRIALS = 200

const baskets = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8')).baskets

describe(`${RACERS} merges at once over a stale lock`, () => {
  it(`in each of ${TRIALS} trials, every basket a merge reports as added is in canon, and the losers were told "lock held"`, async () => {
    const f = flowCourse({seeds: 8, formats: ['F1']})
    const files = readdirSync(join(f.dir, 'phase5_baskets_staging')).sort()
    for (let i = 0; i < RACERS; i++) mkdirSync(join(f.dir, `batch${i}`))
    files.forEach((name, i) => renameSync(join(f.dir, 'phase5_baskets_staging', name), join(f.dir, `batch${i % RACERS}`, name)))
    const base = tempDir('wicker-merge-race-')
    const dead = deadPid()
    for (let t = 0; t < TRIALS; t++) {
      const dir = join(base, `t${t}`, f.dir.split('/').pop()!)
      cpSync(f.dir, dir, {recursive: true})
      plantLock(dir, {pid: dead})
    }
    const before = baskets(f.dir)
    const racers = startRacers(RACER, RACERS, (i) => [base, String(i), String(TRIALS), f.dir.split('/').pop()!])
    try {
      let merged = 0
      for (let t = 0; t < TRIALS; t++) {
        const trial = join(base, `t${t}`)
        const dir = join(trial, f.dir.split('/').pop()!)
        expect(pidFree(dead), 'the stale holder\'s pid was reused').toBe(true)
        const outcomes = await racers.trial<{status?: string; added?: string[]; error?: string}>(trial)
        expect(outcomes.filter((o) => o.error !== undefined && o.error !== 'E_LOCK_HELD'), `trial ${t}`).toEqual([])
        const winners = outcomes.filter((o) => o.status === 'merged')
        expect(winners.length, `trial ${t}`).toBeGreaterThan(0)
        const added = winners.flatMap((o) => o.added!)
        const after = baskets(dir)
        for (const id of added) expect(after[id], `trial ${t}: ${id} was reported added and is not in canon`).toBeDefined()
        expect(Object.keys(after).sort(), `trial ${t}`).toEqual([...Object.keys(before), ...added].sort())
        expect(existsSync(join(dir, '.wicker', 'lock')), `trial ${t}: lock left behind`).toBe(false)
        merged += winners.length
      }
      console.log(`merge race: ${TRIALS} trials × ${RACERS} merges over a stale lock, ${merged} merged, none lost`)
    } finally {
      await racers.stop()
    }
  }, 240_000)
})
