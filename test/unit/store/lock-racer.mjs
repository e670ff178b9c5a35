// One racer of lock-race.test.ts: takes the lock with the built acquireLock, read-modify-writes
// the trial's counter while holding it (with a pause, so a second holder would lose an update),
// and releases.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {pause, race} from '../../helpers/racer.mjs'

const [base, index, trials, dist] = process.argv.slice(2)
const load = (file) => import(pathToFileURL(join(dist, file)).href)
const {acquireLock} = await load('core/store/lock.js')
const {realDisk} = await load('core/store/disk.js')
const {wickerPaths} = await load('core/store/paths.js')

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
