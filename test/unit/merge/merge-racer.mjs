// One racer of merge-race.test.ts, run as its own node process: for every trial it waits for the
// trial's `go` file, merges its own staging batch with the built runMerge (the code `wicker merge`
// runs, without a process start per trial), and writes what happened to `done.<index>`.
import {existsSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

const [base, index, trials, dist, name] = process.argv.slice(2)
const {runMerge} = await import(pathToFileURL(join(dist, 'core/merge/run.js')).href)

const sleeper = new Int32Array(new SharedArrayBuffer(4))
const pause = (ms) => Atomics.wait(sleeper, 0, 0, ms)

for (let t = 0; t < Number(trials); t++) {
  const dir = join(base, `t${t}`)
  while (!existsSync(join(dir, 'go'))) pause(0.3)
  let outcome
  try {
    const course = join(dir, name)
    const {result} = await runMerge({course, cwd: course, staging: [join(course, `batch${index}`)], yes: true})
    outcome = {status: result.status, added: result.added}
  } catch (error) {
    outcome = {error: error?.code ?? `crash: ${error?.stack ?? error}`}
  }
  // whole or not at all: the test reads it as soon as the name appears
  writeFileSync(join(dir, `.done.${index}`), JSON.stringify(outcome))
  renameSync(join(dir, `.done.${index}`), join(dir, `done.${index}`))
}
