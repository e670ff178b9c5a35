// One racer of merge-race.test.ts: merges its own staging batch with the built runMerge (the code
// `wicker merge` runs, without a process start per trial).
import {join} from 'node:path'

// started bundled (test/helpers/race.ts bundledRacer): the static imports are what the bundle holds
import {runMerge} from '../../../dist/core/merge/run.js'
import {race} from '../../helpers/racer.mjs'

const [base, index, trials, name] = process.argv.slice(2)

await race(base, index, trials, async (dir) => {
  try {
    const course = join(dir, name)
    const {result} = await runMerge({course, cwd: course, staging: [join(course, `batch${index}`)], yes: true})
    return {status: result.status, added: result.added}
  } catch (error) {
    return {error: error?.code ?? `crash: ${error?.stack ?? error}`}
  }
})
