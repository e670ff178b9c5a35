import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../../helpers/fs.js'
import {deadPid, pidFree, plantLock} from '../../helpers/lock.js'
import {startRacers} from '../../helpers/race.js'

const RACER = fileURLToPath(new URL('./lock-racer.mjs', import.meta.url))
const RACERS = 10
const TRIALS = 250

describe('ten processes taking one stale lock at once', () => {
  it(`never both hold it: in each of ${TRIALS} trials the counter equals the number of holders, and every other process was told "lock held"`, async () => {
    const base = tempDir('wicker-race-')
    const dead = deadPid()
    for (let t = 0; t < TRIALS; t++) {
      const dir = join(base, `t${t}`)
      plantLock(dir, {pid: dead})
      writeFileSync(join(dir, 'counter'), '0')
    }
    const racers = startRacers(RACER, RACERS, (i) => [base, String(i), String(TRIALS)])
    try {
      let acquired = 0
      for (let t = 0; t < TRIALS; t++) {
        const dir = join(base, `t${t}`)
        // the pid must still be free, or the lock would not be stale
        expect(pidFree(dead)).toBe(true)
        const outcomes = await racers.trial<string>(dir, 20_000)
        const ok = outcomes.filter((o) => o === 'ok').length
        expect(outcomes.filter((o) => o !== 'ok' && o !== 'E_LOCK_HELD'), `trial ${t}`).toEqual([])
        expect(ok, `trial ${t}: outcomes ${outcomes.join(' ')}`).toBeGreaterThan(0)
        expect(Number(readFileSync(join(dir, 'counter'), 'utf8')), `trial ${t}: ${ok} processes held the lock`).toBe(ok)
        expect(existsSync(join(dir, '.wicker', 'lock')), `trial ${t}: lock left behind`).toBe(false)
        acquired += ok
      }
      console.log(`lock race: ${TRIALS} trials × ${RACERS} processes, ${acquired} acquisitions, no overlap`)
    } finally {
      await racers.stop()
    }
  }, 120_000)
})
