#!/usr/bin/env node
// The main job until `wicker demo` exists: detect and validate the bundled sample course with the
// built CLI, as a user would run them. `npm run demo` builds first.
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const course = fileURLToPath(new URL('../sample/courses/qtl_for_qkn', import.meta.url))

let failed = false
for (const args of [['detect', course], ['validate', course]]) {
  process.stderr.write(`\n$ wicker ${args[0]} sample/courses/qtl_for_qkn\n\n`)
  const run = spawnSync(process.execPath, [bin, ...args], {stdio: 'inherit'})
  if (run.status !== 0) failed = true
}
process.exitCode = failed ? 1 : 0
