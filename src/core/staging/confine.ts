import {resolve} from 'node:path'

import type {Disk} from '../store/disk.js'
import {confine, insideReally, within} from '../store/inside.js'

/**
 * Which staging folders and files a path read back from disk (a plan, a journal record) may name.
 * Only the policy lives here; whether a path is inside a folder is decided by store/inside.ts.
 */
export interface StagingTrust {
  courseDir: string
  /** the course's .wicker folder: never staging */
  wickerDir: string
  /** staging folders the user named on this command line (--staging), which may lie outside the course */
  named: string[]
}

/**
 * A staging folder wicker may read or move files in: one the user named, or a folder inside the
 * course (not the course itself, not .wicker) that really is there. A staging folder of the course
 * that is a symlink is never one: the scan refuses to read it, so nothing was taken from it.
 */
export async function stagingRootAllowed(disk: Disk, root: string, trust: StagingTrust): Promise<boolean> {
  const dir = resolve(root)
  const inCourse = within(trust.courseDir, dir)
  if (inCourse && (await disk.lstat(dir))?.kind === 'symlink') return false
  if (trust.named.some((n) => resolve(n) === dir)) return true
  if (!inCourse || dir === resolve(trust.courseDir) || within(trust.wickerDir, dir)) return false
  return insideReally(disk, trust.courseDir, dir)
}

/** The path of a staging file below an allowed `root`: not in a dot-folder or hidden, not itself a symlink, no symlink on the way out. */
export async function stagingFileIn(disk: Disk, root: string, file: string, trust: StagingTrust, rules: {noFinalSymlink: boolean}): Promise<string | null> {
  if (!(await stagingRootAllowed(disk, root, trust))) return null
  return confine(disk, root, resolve(trust.courseDir, file), {strict: true, noDotSegments: true, noFinalSymlink: rules.noFinalSymlink})
}

/**
 * The absolute path of a staging file a plan names, when it is one: below one of the staging folders
 * being read (and, when `stagingDir` is given, that one: a consumed file is moved into
 * <stagingDir>/.applied/). Null otherwise: such a name must not make wicker read or move anything
 * else. A file that is gone is judged by its folders (the caller reports the stale plan).
 */
export async function stagingPath(disk: Disk, file: string, stagingDir: string | null, dirs: string[], trust: StagingTrust): Promise<string | null> {
  const path = resolve(trust.courseDir, file)
  const wanted = stagingDir === null ? null : resolve(trust.courseDir, stagingDir)
  for (const dir of dirs.map((d) => resolve(d))) {
    if (wanted !== null && wanted !== dir) continue
    const found = await stagingFileIn(disk, dir, path, trust, {noFinalSymlink: true})
    if (found) return found
  }
  return null
}
