import {readFileSync} from 'node:fs'
import {join} from 'node:path'
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
