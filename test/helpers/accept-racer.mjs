// One of many processes accepting uploads under one name at once (test/unit/serve/accept.test.ts):
// argv: <base> <index> <trials> <course dir> <body file>. Uses the built program (npm run build).
// Started bundled (test/helpers/race.ts bundledRacer): the static imports are what the bundle holds.
import {readFileSync} from 'node:fs'

import {loadCourse} from '../../dist/core/course/load.js'
import {acceptUpload} from '../../dist/core/serve/intake.js'
import {race} from './racer.mjs'

const [base, index, trials, courseDir, bodyFile] = process.argv.slice(2)
const course = await loadCourse(courseDir)
const bytes = readFileSync(bodyFile)
await race(base, index, trials, async () => {
  try {
    const got = await acceptUpload({course, name: 'race.json', bytes})
    return got.ok ? got.accepted : {refused: got.problems}
  } catch (error) {
    return {error: String(error?.message ?? error)}
  }
})
