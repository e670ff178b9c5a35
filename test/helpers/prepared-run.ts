import {cpSync, readFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {expect} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {wickerIn} from './cli-in.js'
import {tempDir} from './fs.js'

/** A generated course of `seeds` seeds (no canon), prepared as run r1 in packets of 4 LEGOs (in process), and its packets. */
export async function preparedRun(prefix: string, seeds: number): Promise<{dir: string; packets: Array<{id: string}>}> {
  const dir = writeCourse(tempDir(prefix), generateCourse({seeds, seed: 83, canon: {fill: 0}}))
  const prep = await wickerIn(['prepare-segments', dir, '--run', 'r1', '--packet-size', '4', '--json'])
  expect(prep.code, prep.stderr).toBe(0)
  const plan = JSON.parse(readFileSync(join(dir, '.wicker', 'runs', 'r1', 'plan.json'), 'utf8'))
  return {dir, packets: plan.packets as Array<{id: string}>}
}

type PreparedRun = Awaited<ReturnType<typeof preparedRun>>
/** each course prepared once per test file's module graph, by prefix and size */
const templates = new Map<string, PreparedRun>()

/** preparedRun's course made once (per prefix and size), and a copy of its own for every test. */
export async function preparedCopy(prefix: string, seeds: number): Promise<PreparedRun> {
  const key = `${prefix} ${seeds}`
  let template = templates.get(key)
  if (!template) templates.set(key, (template = await preparedRun(prefix, seeds)))
  const dir = join(tempDir(prefix), basename(template.dir))
  cpSync(template.dir, dir, {recursive: true})
  return {...template, dir}
}
