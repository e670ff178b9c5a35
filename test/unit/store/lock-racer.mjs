// One racer of lock-race.test.ts: takes the lock with the built acquireLock, read-modify-writes
// the trial's counter while holding it (with a pause, so a second holder would lose an update),
// and releases.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

// started bundled (test/helpers/race.ts bundledRacer): the static imports are what the bundle holds
import {realDisk} from '../../../dist/core/store/disk.js'
import {acquireLock} from '../../../dist/core/store/lock.js'
import {wickerPaths} from '../../../dist/core/store/paths.js'
import {pause, race} from '../../helpers/racer.mjs'

const [base, index, trials] = process.argv.slice(2)

await race(base, index, trials, async (dir) => {
  try {
    const lock = await acquireLock(realDisk, wickerPaths(dir), `racer ${index}`)
    try {
      const counter = join(dir, 'counter')
      const n = Number(readFileSync(counter, 'utf8'))
      pause(2)
      writeFileSync(counter, String(n + 1))
    } finally {
      await lock.release()
    }
    return 'ok'
  } catch (error) {
    return error?.code ?? `crash: ${error?.stack ?? error}`
  }
})
