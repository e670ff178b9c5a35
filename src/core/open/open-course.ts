import {join, resolve} from 'node:path'

import type {Canon} from '../canon/model.js'
import {emptyCanon, readCanon} from '../canon/read.js'
import {loadConfig} from '../config.js'
import {findCourse, resolveCoursesDir} from '../course/find.js'
import {requireLegos} from '../course/empty.js'
import {COURSE_FILES, loadCourse} from '../course/load.js'
import type {ArrayOrder, Course} from '../course/model.js'
import type {WickerConfig} from '../schemas/config.js'
import {checkNamedFolder} from '../store/named-file.js'
import {wickerPaths} from '../store/paths.js'

export interface OpenCourseOptions {
  /** a folder path, or a course code under the courses dir */
  course: string
  cwd: string
  coursesDir?: string | null
  configFile?: string | null
  orientation?: ArrayOrder | null
  /** false: skip reading canon (writers read it again under their lock anyway) */
  canon?: boolean
  /** finish or roll back an interrupted transaction first (commands that write) */
  recover?: boolean
  /**
   * read canon by its layout when the canon index vouches for its bytes, each basket parsed when
   * asked for (preview, status); validate and detect parse every basket, for their findings
   */
  lazyCanon?: boolean
  /** deepest JSON nesting accepted in canon (as in staging, --max-depth; default 64) */
  maxDepth?: number
  /** validate only: read canon's lone surrogate escapes to flag them, instead of refusing canon */
  allowLoneSurrogates?: boolean
  /**
   * the command only reads canon, which is then scanned from its bytes (canon/usable-scan.ts):
   * 'usable' (detect, preview): a wicker-shaped basket's id and usable told by the scan, anything else
   * about it parsed from its bytes when asked; 'phrases' (validate, report): each phrase's text
   * decoded from its span when asked, never parsed
   */
  readOnly?: 'usable' | 'phrases'
  /** the command checks baskets against the LEGOs: a course without any is refused (E_EMPTY_COURSE) before canon is waited for, whatever canon holds */
  requireLegos?: boolean
  /** false: Canon.sha256 will most likely not be read, so a read-only scan does not hash canon first (it is hashed when read); default true */
  hashCanon?: boolean
  /**
   * where warnings are collected (OpenedCourse.warnings is this very array): a caller that passes one
   * still has what was noted before a failure (a stale lock moved aside, then a refusal)
   */
  warnings?: string[]
}

export interface OpenedCourse {
  course: Course
  canon: Canon
  config: WickerConfig
  configFile: string | null
  /** things the user should know that are not failures */
  warnings: string[]
}

/**
 * What a caller builds from the course alone while canon is still being read (validate's and the
 * report's GATE indexes): it runs once lego_pairs is loaded, before canon is awaited, and what it
 * returns is OpenedCourse's `prepared`. It may throw (a setting refused): canon is then not waited for.
 */
type Preparing<T> = {prepare?: (course: Course, config: WickerConfig, configFile: string | null) => T}

/**
 * The staging folder(s) a writing command was given (extract's and merge's `staging: string[]`,
 * launch's `staging: string`): an interrupted merge made with `--staging` there is finished with them.
 */
type StagingGiven = {staging?: string | readonly string[] | null}

/**
 * The staging folders named with --staging must be there: a mistyped path read as "no staging" is how
 * an extractor once read 0 baskets without a word. (launch's one output folder is made when missing.)
 */
async function checkStagingGiven(given: StagingGiven['staging'], cwd: string): Promise<void> {
  if (!Array.isArray(given)) return
  for (const dir of given as readonly string[]) await checkNamedFolder(resolve(cwd, dir), {flag: '--staging', what: 'Staging folder', code: 'E_STAGING_MISSING', links: 'follow'})
}

/** Config → courses dir → course folder → lego_pairs + canon: what every read-only command starts with. */
export async function openCourse<T = undefined>(options: OpenCourseOptions & StagingGiven & Preparing<T>): Promise<OpenedCourse & {prepared: T}> {
  const {file: configFile, config} = await loadConfig({file: options.configFile, cwd: options.cwd})
  const coursesDir = resolveCoursesDir({flag: options.coursesDir, config: config.coursesDir, cwd: options.cwd})
  const found = findCourse(options.course, {coursesDir, cwd: options.cwd})
  const warnings = options.warnings ?? []
  warnings.push(...found.warnings)
  await checkStagingGiven(options.staging, options.cwd)
  if (options.recover) {
    const {recoverIfIdle} = await import('../transaction/recover.js')
    const {realDisk} = await import('../store/disk.js')
    const given = options.staging ?? []
    const stagingRoots = (typeof given === 'string' ? [given] : [...given]).map((d) => resolve(options.cwd, d))
    warnings.push(...(await recoverIfIdle({disk: realDisk, paths: wickerPaths(found.dir), courseDir: found.dir, canonFile: join(found.dir, COURSE_FILES.canon)}, {stagingRoots})))
  }
  // Both files are read together: canon (scanned on a worker thread where it is read only) while
  // lego_pairs is parsed here, then whatever the caller builds from the course alone (`prepare`)
  const canonFile = join(found.dir, COURSE_FILES.canon)
  const canonRead = options.canon === false ? Promise.resolve(emptyCanon(canonFile)) : readCanon(canonFile, {index: options.lazyCanon ? wickerPaths(found.dir).canonIndex : undefined, maxDepth: options.maxDepth, allowLoneSurrogates: options.allowLoneSurrogates, spans: options.readOnly, hash: options.hashCanon, warnings})
  // awaited below; until then a failure of the course (or of prepare) is the one reported
  canonRead.catch(() => undefined)
  const course = await loadCourse(found.dir, {orientation: options.orientation ?? config.orientation ?? null})
  if (options.requireLegos) requireLegos(course)
  const prepared = options.prepare?.(course, config, configFile) as T
  const canon = await canonRead
  // after canon's own warnings (a canon index not used), in the order they always came
  if (course.orientation.arrays) warnings.push(`array pairs read as [${course.orientation.order === 'known-target' ? 'known, target' : 'target, known'}] (${course.orientation.evidence})`)
  for (const finding of course.findings) warnings.push(`lego_pairs: ${finding.message}`)
  return {course, canon, config, configFile, warnings, prepared}
}
