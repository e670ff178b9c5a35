import {resolve} from 'node:path'

import {requireLegos} from '../course/empty.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {errnoOf, UsageError} from '../errors.js'
import {writeFileAtomic} from '../store/atomic-write.js'
import {gateSettingsSchema, parseSettings, validateSettingsSchema, type GateSettings, type ValidateSettings} from '../schemas/config.js'
import {validate, type ValidateResult} from './validate.js'
import type {OnProgress} from '../progress.js'

export interface RunValidateOptions extends OpenCourseOptions {
  /** overrides from flags; the rest comes from the config, then the defaults */
  gate?: Partial<GateSettings>
  validate?: Partial<ValidateSettings>
  onProgress?: OnProgress
}


export async function runValidate(options: RunValidateOptions): Promise<{result: ValidateResult; warnings: string[]}> {
  options.onProgress?.('loading the course')
  const {course, canon, config, configFile, warnings} = await openCourse({...options, allowLoneSurrogates: true})
  requireLegos(course)
  const gate = parseSettings(gateSettingsSchema, {config: config.gate, flags: options.gate, section: 'gate', file: configFile})
  const settings = parseSettings(validateSettingsSchema, {config: config.validate, flags: options.validate, section: 'validate', file: configFile})
  return {result: validate(course, canon, {gate, validate: settings, onProgress: options.onProgress}), warnings}
}

/**
 * Writes a report the user asked for with --output, atomically (a CI step never reads half a file).
 * A path that cannot be a file (no such folder, a folder in the way) is the user's to fix: exit 2.
 */
export async function writeValidateReport(cwd: string, file: string, text: string): Promise<string> {
  const path = resolve(cwd, file)
  try {
    await writeFileAtomic(path, text, {durable: false})
  } catch (error) {
    const errno = errnoOf(error)
    if (errno === 'ENOENT' || errno === 'ENOTDIR' || errno === 'EISDIR') {
      throw new UsageError({code: 'E_OUTPUT', message: `--output ${file}: cannot write a file at ${path} (${errno === 'EISDIR' ? 'a folder is in the way' : 'its folder does not exist'}).`, hint: 'Name a file in an existing folder.', details: {file: path, errno}})
    }
    throw error
  }
  return path
}
