import {requireLegos} from '../course/empty.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
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
  // asked for, with a big canon: a worker shares the basket checks (parallel.ts, loaded only then)
  const parallel = process.env.WICKER_CHECK_THREADS === '2' ? await import('./parallel.js') : null
  const worker = parallel ? await parallel.maybeStartCheckWorker(options, null) : null
  try {
    const {course, canon, config, configFile, warnings} = await openCourse({...options, allowLoneSurrogates: true, readOnly: 'phrases'})
    requireLegos(course)
    const gate = parseSettings(gateSettingsSchema, {config: config.gate, flags: options.gate, section: 'gate', file: configFile})
    const settings = parseSettings(validateSettingsSchema, {config: config.validate, flags: options.validate, section: 'validate', file: configFile})
    const validateOptions = {gate, validate: settings, onProgress: options.onProgress}
    const result = parallel && worker ? (await parallel.checkCanonParallel(course, canon, validateOptions, null, worker)).result : validate(course, canon, validateOptions)
    return {result, warnings}
  } finally {
    worker?.stop()
  }
}
