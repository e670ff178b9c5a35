// The racer side of the race tests (test/helpers/race.ts starts them): a node process that, for
// every trial, waits for the test's go (a byte on stdin), runs one attempt, and writes its outcome as
// one JSON line to stdout.
import {readSync} from 'node:fs'
import {join} from 'node:path'

const sleeper = new Int32Array(new SharedArrayBuffer(4))
export const pause = (ms) => Atomics.wait(sleeper, 0, 0, ms)

const go = Buffer.alloc(1)
/**
 * Blocks until the test releases the next trial: it writes one byte to every racer's stdin at once,
 * and each racer's read returns as the byte lands, with no polling (which, ten racers on two cores,
 * took the CPU the racers race for). A stdin that does not block is polled instead.
 */
function awaitGo() {
  for (;;) {
    try {
      if (readSync(0, go, 0, 1, null) === 1) return
      throw new Error('the test closed stdin before releasing the trial')
    } catch (error) {
      if (error?.code !== 'EAGAIN') throw error
      pause(0.3)
    }
  }
}

/** Runs `attempt(dir)` once per trial folder `<base>/t<n>`, in step with the other racers. */
export async function race(base, index, trials, attempt) {
  for (let t = 0; t < Number(trials); t++) {
    const dir = join(base, `t${t}`)
    awaitGo()
    const outcome = await attempt(dir)
    // one line, written whole (stdout to a pipe is written synchronously)
    process.stdout.write(`${JSON.stringify(outcome)}\n`)
  }
}
