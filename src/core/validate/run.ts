import {defined} from '../defined.js'
import {openCourse, type OpenCourseOptions} from '../course/open.js'
import {UsageError} from '../errors.js'
import {gateSettingsSchema, parseSettings, SettingsError, validateSettingsSchema, type GateSettings, type ValidateSettings} from '../schemas/config.js'
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
  const {course, canon, config, warnings} = await openCourse({...options, allowLoneSurrogates: true})
  let gate: GateSettings
  let settings: ValidateSettings
  try {
    gate = parseSettings(gateSettingsSchema, {...config.gate, ...defined(options.gate)}, 'GATE settings')
    settings = parseSettings(validateSettingsSchema, {...config.validate, ...defined(options.validate)}, 'validate settings')
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError({code: 'E_SETTINGS', message: error.message, hint: 'Correct the flag or the matching field in wicker.config.json.'})
    throw error
  }
  return {result: validate(course, canon, {gate, validate: settings, onProgress: options.onProgress}), warnings}
}
