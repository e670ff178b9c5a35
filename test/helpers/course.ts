import {generateCourse, type SynthOptions} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {loadCourse} from '../../src/core/course/load.js'
import {readCanon} from '../../src/core/canon/read.js'
import {tempDir, writeTree} from './fs.js'

/** A generated course written to a fresh temp folder. */
export function synthCourse(options: SynthOptions = {}) {
  const synth = generateCourse(options)
  const dir = writeCourse(tempDir(), synth)
  return {...synth, dir}
}

/** A hand-written course folder from a {file: content} map, loaded. */
export async function courseFrom(code: string, files: Record<string, unknown>, options: Parameters<typeof loadCourse>[1] = {}) {
  const dir = writeTree(`${tempDir()}/${code}`, files)
  const course = await loadCourse(dir, options)
  const canon = await readCanon(course.files.canon)
  return {dir, course, canon}
}
