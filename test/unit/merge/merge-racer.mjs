// One racer of merge-race.test.ts: merges its own staging batch with the built runMerge (the code
// `wicker merge` runs, without a process start per trial).
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {race} from '../../helpers/racer.mjs'

const [base, index, trials, dist, name] = process.argv.slice(2)
const {runMerge} = await import(pathToFileURL(join(dist, 'core/merge/run.js')).href)

await race(base, index, trials, async (dir) => {
  try {
    const course = join(dir, name)
    const {result} = await runMerge({course, cwd: course, staging: [join(course, `batch${index}`)], yes: true})
    return {status: result.status, added: result.added}
  } catch (error) {
    return {error: error?.code ?? `crash: ${error?.stack ?? error}`}
  }
})
