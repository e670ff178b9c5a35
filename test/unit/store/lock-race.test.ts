import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../../helpers/fs.js'
import {deadPid, plantLock} from '../../helpers/lock.js'

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url))
const RACER = fileURLToPath(new URL('./lock-racer.mjs', import.meta.url))
const RACERS = 10
const TRIALS = 250

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('ten processes taking one stale lock at once', () => {
  it(`never both hold it: in each of ${TRIALS} trials the counter equals the number of holders, and every other process was told "lock held"`, async () => {
    const base = tempDir('wicker-race-')
    const dead = deadPid()
    for (let t = 0; t < TRIALS; t++) {
      const dir = join(base, `t${t}`)
      plantLock(dir, {pid: dead})
      writeFileSync(join(dir, 'counter'), '0')
    }
    const racers = Array.from({length: RACERS}, (_, i) => spawn(process.execPath, [RACER, base, String(i), String(TRIALS), DIST], {stdio: ['ignore', 'ignore', 'pipe']}))
    let stderr = ''
    for (const r of racers) r.stderr.on('data', (d) => (stderr += d))
    const exited = Promise.all(racers.map((r) => new Promise((resolve) => r.on('exit', resolve))))
    try {
      let acquired = 0
      for (let t = 0; t < TRIALS; t++) {
        const dir = join(base, `t${t}`)
        // the pid must still be free, or the lock would not be stale
        expect(spawnSync('kill', ['-0', String(dead)]).status).not.toBe(0)
        writeFileSync(join(dir, 'go'), '')
        const done = Array.from({length: RACERS}, (_, i) => join(dir, `done.${i}`))
        const deadline = Date.now() + 20_000
        while (!done.every((f) => existsSync(f))) {
          expect(Date.now() < deadline, `trial ${t}: racers did not finish; ${stderr}`).toBe(true)
          await sleep(1)
        }
        const outcomes = done.map((f) => readFileSync(f, 'utf8'))
        const ok = outcomes.filter((o) => o === 'ok').length
        expect(outcomes.filter((o) => o !== 'ok' && o !== 'E_LOCK_HELD'), `trial ${t}`).toEqual([])
        expect(ok, `trial ${t}: outcomes ${outcomes.join(' ')}`).toBeGreaterThan(0)
        expect(Number(readFileSync(join(dir, 'counter'), 'utf8')), `trial ${t}: ${ok} processes held the lock`).toBe(ok)
        expect(existsSync(join(dir, '.wicker', 'lock')), `trial ${t}: lock left behind`).toBe(false)
        acquired += ok
      }
      console.log(`lock race: ${TRIALS} trials × ${RACERS} processes, ${acquired} acquisitions, no overlap`)
    } finally {
      for (const r of racers) r.kill()
      await exited
    }
  }, 120_000)
})
