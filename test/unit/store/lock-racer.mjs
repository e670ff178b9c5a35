// One racer of lock-race.test.ts, run as its own node process: for every trial it waits for the
// trial's `go` file, takes the lock with the built acquireLock, read-modify-writes the trial's
// counter while holding it (with a pause, so a second holder would lose an update), releases, and
// writes what happened to `done.<index>`.
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

const [base, index, trials, dist] = process.argv.slice(2)
const load = (file) => import(pathToFileURL(join(dist, file)).href)
const {acquireLock} = await load('core/store/lock.js')
const {realDisk} = await load('core/store/disk.js')
const {wickerPaths} = await load('core/store/paths.js')

const sleeper = new Int32Array(new SharedArrayBuffer(4))
const pause = (ms) => Atomics.wait(sleeper, 0, 0, ms)

for (let t = 0; t < Number(trials); t++) {
  const dir = join(base, `t${t}`)
  while (!existsSync(join(dir, 'go'))) pause(0.3)
  let outcome
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
    outcome = 'ok'
  } catch (error) {
    outcome = error?.code ?? `crash: ${error?.stack ?? error}`
  }
  // whole or not at all: the test reads it as soon as the name appears
  writeFileSync(join(dir, `.done.${index}`), outcome)
  renameSync(join(dir, `.done.${index}`), join(dir, `done.${index}`))
}
