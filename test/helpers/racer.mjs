// The racer side of the race tests (test/helpers/race.ts starts them): a node process that, for
// every trial, waits for the trial folder's `go` file, runs one attempt, and writes its outcome to
// `done.<index>` whole or not at all (the test reads it as soon as the name appears).
import {existsSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

const sleeper = new Int32Array(new SharedArrayBuffer(4))
export const pause = (ms) => Atomics.wait(sleeper, 0, 0, ms)

/** Runs `attempt(dir)` once per trial folder `<base>/t<n>`, in step with the other racers. */
export async function race(base, index, trials, attempt) {
  for (let t = 0; t < Number(trials); t++) {
    const dir = join(base, `t${t}`)
    while (!existsSync(join(dir, 'go'))) pause(0.3)
    const outcome = await attempt(dir)
    writeFileSync(join(dir, `.done.${index}`), JSON.stringify(outcome))
    renameSync(join(dir, `.done.${index}`), join(dir, `done.${index}`))
  }
}
