import type {Course} from '../course/model.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {checkSettings, type GateSettings, type ValidateSettings} from '../schemas/config.js'
import type {ValidateOptions} from './model.js'
import {prepareValidate, type ValidateResult} from './validate.js'
import type {OnProgress} from '../progress.js'

export interface RunValidateOptions extends OpenCourseOptions {
  /** overrides from flags; the rest comes from the config, then the defaults */
  gate?: Partial<GateSettings>
  validate?: Partial<ValidateSettings>
  onProgress?: OnProgress
}

/**
 * The course opened as validate reads it (canon from its bytes, LEGOs required, the gate and
 * validate settings from the flags, the config and the defaults), and what `prepare` builds from the
 * course and those settings while canon is still being scanned on the other core (validate's and the
 * report's GATE indexes).
 */
export async function openForChecks<T>(options: RunValidateOptions, prepare: (course: Course, validateOptions: ValidateOptions) => T) {
  const opened = await openCourse({
    ...options,
    allowLoneSurrogates: true,
    readOnly: 'phrases',
    requireLegos: true,
    prepare: (course, config, configFile) => {
      const validateOptions: ValidateOptions = {...checkSettings(config, configFile, options), onProgress: options.onProgress}
      const built = prepare(course, validateOptions)
      // what is left of the open: canon's scan, where it has not ended yet
      options.onProgress?.('reading canon')
      return {validateOptions, built}
    },
  })
  return {...opened, ...opened.prepared}
}

export async function runValidate(options: RunValidateOptions): Promise<{result: ValidateResult; warnings: string[]}> {
  options.onProgress?.('loading the course')
  // asked for, with a big canon: a worker shares the basket checks (parallel.ts, loaded only then)
  const parallel = process.env.WICKER_CHECK_THREADS === '2' ? await import('./parallel.js') : null
  const worker = parallel ? await parallel.maybeStartCheckWorker(options, null) : null
  try {
    // without a worker, the GATE indexes are built while canon is still being scanned
    // validate never reads canon's hash (the report's history does)
    const {course, canon, warnings, validateOptions, built: check} = await openForChecks({...options, hashCanon: false}, (course, validateOptions) => (worker ? null : prepareValidate(course, validateOptions)))
    const result = check ? check(canon) : (await parallel!.checkCanonParallel(course, canon, validateOptions, null, worker!)).result
    return {result, warnings}
  } finally {
    worker?.stop()
  }
}
