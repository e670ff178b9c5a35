import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {SynthCourse} from './generate.js'

/** Writes a generated course into `<parent>/<code>/` and returns the folder. */
export function writeCourse(parent: string, synth: SynthCourse, options: {pretty?: boolean} = {}): string {
  const dir = join(parent, synth.code)
  mkdirSync(dir, {recursive: true})
  for (const [name, value] of Object.entries(synth.files)) {
    writeFileSync(join(dir, name), `${JSON.stringify(value, null, options.pretty === false ? undefined : 2)}\n`)
  }
  return dir
}
