// One of many processes beginning one Idempotency-Key at once (test/unit/serve/idempotency.test.ts):
// argv <base> <index> <trials> <course dir>; each trial's key is in <trial>/key. Uses the built program.
// It stays alive, holding what it began, until the test stops it: a racer that exited would leave
// its marker expired for the slower ones.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

// started bundled (test/helpers/race.ts bundledRacer): the static imports are what the bundle holds
import {idempotencyStore} from '../../dist/core/serve/idempotency.js'
import {race} from './racer.mjs'

const [base, index, trials, courseDir] = process.argv.slice(2)
const store = idempotencyStore(courseDir)
await race(base, index, trials, async (dir) => {
  try {
    return await store.begin(readFileSync(join(dir, 'key'), 'utf8'), readFileSync(join(dir, 'body'), 'utf8'))
  } catch (error) {
    return {error: String(error?.message ?? error)}
  }
})
setInterval(() => undefined, 60_000)
