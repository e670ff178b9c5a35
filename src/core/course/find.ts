import {existsSync, readdirSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {isDirectory} from '../config.js'
import {UsageError} from '../errors.js'
import {COURSE_FILES} from './load.js'

export const DEFAULT_COURSES_DIR = join('public', 'vfs', 'courses')

/**
 * The courses dir, in order: --courses-dir / WICKER_COURSES_DIR, coursesDir in the config,
 * public/vfs/courses under the current folder if it exists, else the current folder.
 */
export function resolveCoursesDir(options: {flag?: string | null; config?: string | null; cwd: string}): string {
  if (options.flag) return resolve(options.cwd, options.flag)
  if (options.config) return resolve(options.cwd, options.config)
  const conventional = resolve(options.cwd, DEFAULT_COURSES_DIR)
  return isDirectory(conventional) ? conventional : resolve(options.cwd)
}

function listCourses(coursesDir: string): string[] {
  try {
    return readdirSync(coursesDir, {withFileTypes: true})
      .filter((d) => d.isDirectory() && existsSync(join(coursesDir, d.name, COURSE_FILES.legoPairs)))
      .map((d) => d.name)
      .sort()
  } catch {
    return []
  }
}

export interface FoundCourse {
  dir: string
  /** a path that looks like the doubled-path incident (courses/public/vfs/courses/…) */
  warnings: string[]
}

/** A course argument is a folder path, or a course code under the courses dir. */
export function findCourse(arg: string, options: {coursesDir: string; cwd: string}): FoundCourse {
  const asPath = resolve(options.cwd, arg)
  const underCourses = resolve(options.coursesDir, arg)
  const dir = isDirectory(asPath) && existsSync(join(asPath, COURSE_FILES.legoPairs)) ? asPath : isDirectory(underCourses) ? underCourses : isDirectory(asPath) ? asPath : null
  if (!dir) {
    const available = listCourses(options.coursesDir)
    throw new UsageError({
      code: 'E_COURSE_NOT_FOUND',
      message: `No course "${arg}": it is neither a folder nor a course under ${options.coursesDir}.`,
      hint: available.length > 0 ? `Courses there: ${available.slice(0, 10).join(', ')}${available.length > 10 ? ', …' : ''}. Or pass --courses-dir.` : 'Pass the course folder\'s path, or set --courses-dir (or WICKER_COURSES_DIR) to the folder that holds the courses.',
      details: {course: arg, coursesDir: options.coursesDir, available},
    })
  }
  if (!existsSync(join(dir, COURSE_FILES.legoPairs))) {
    throw new UsageError({
      code: 'E_COURSE_NO_LEGO_PAIRS',
      message: `${dir} has no ${COURSE_FILES.legoPairs}, so it is not a course folder.`,
      hint: `Point wicker at the folder that holds ${COURSE_FILES.legoPairs} (e.g. public/vfs/courses/<code>).`,
      details: {dir},
    })
  }
  const warnings: string[] = []
  if (/courses[\\/]+public[\\/]+vfs[\\/]+courses/.test(dir)) warnings.push(`the course path ${dir} repeats "courses/…/courses": is --courses-dir set one level too deep?`)
  return {dir, warnings}
}
