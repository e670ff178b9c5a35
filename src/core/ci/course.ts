import {lstat, realpath} from 'node:fs/promises'
import {dirname, join, relative, resolve, sep} from 'node:path'

import {loadConfig} from '../config.js'
import {findCourse, resolveCoursesDir} from '../course/find.js'
import {errnoOf, ioError, UsageError} from '../errors.js'
import {within} from '../store/inside.js'

export interface CiCourseOptions {
  /** a folder path, or a course code under the courses dir */
  course: string
  cwd: string
  coursesDir?: string | null
  configFile?: string | null
  warnings?: string[]
}

export interface CiCourse {
  /** the course folder, symbolic links resolved */
  dir: string
  /** the repository a CI job checks out: the nearest folder at or above the course with a .git entry; without one, the current folder */
  root: string
  git: boolean
  /** the course folder relative to `root`, with `/` separators: what the CI job passes to wicker ("." when it is the root) */
  coursePath: string
}

async function hasGitEntry(dir: string): Promise<boolean> {
  try {
    // a folder in a clone, a file in a worktree or submodule: either marks the root
    await lstat(join(dir, '.git'))
    return true
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes(errnoOf(error) ?? '')) return false
    throw ioError(error, join(dir, '.git'), 'look at')
  }
}

/** The nearest folder at or above `dir` with a .git entry, or null. */
export async function gitRoot(dir: string): Promise<string | null> {
  for (let at = dir; ; at = dirname(at)) {
    if (await hasGitEntry(at)) return at
    if (dirname(at) === at) return null
  }
}

/**
 * The course a CI template is for, and where it sits in the repository the CI job checks out. The
 * course must be inside that repository: a job sees nothing else.
 */
export async function findCiCourse(options: CiCourseOptions): Promise<CiCourse> {
  const {config} = await loadConfig({file: options.configFile, cwd: options.cwd})
  const coursesDir = resolveCoursesDir({flag: options.coursesDir, config: config.coursesDir, cwd: options.cwd})
  const found = findCourse(options.course, {coursesDir, cwd: options.cwd})
  options.warnings?.push(...found.warnings)
  const real = (path: string) => realpath(path).catch((error: unknown) => {
    throw ioError(error, path, 'resolve')
  })
  const dir = await real(found.dir)
  const repo = await gitRoot(dir)
  const root = repo ?? (await real(resolve(options.cwd)))
  if (!within(root, dir)) {
    throw new UsageError({
      code: 'E_CI_COURSE_OUTSIDE',
      message: `The course ${dir} is in no git repository and not inside the current folder ${root}, so a CI job that checks out this folder would not see it.`,
      hint: 'Run the command from the root of the repository that holds the course (or put the course in a git repository).',
      details: {course: dir, root},
    })
  }
  const rel = relative(root, dir)
  return {dir, root, git: repo !== null, coursePath: rel === '' ? '.' : rel.split(sep).join('/')}
}
