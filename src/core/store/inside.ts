import {dirname, isAbsolute, relative, resolve, sep} from 'node:path'

import type {Disk} from './disk.js'

/**
 * A course folder is untrusted (DESIGN.md §5): a path read from it, or a symlink inside it, must
 * not lead wicker out of it. This file is the one place that decides containment: every check of
 * "is this path inside that folder" (staging scan, plan paths, journal records, packets, backups)
 * goes through `within` (by name) or `confine` (as the kernel resolves it, symlinked folders included).
 */

/** `child` is `parent` or below it, by name only (no symlinks followed). A child named `..x` is below. */
export function within(parent: string, child: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** The real path of `path`, or null when a symlink on the way dangles or loops (it could lead anywhere once its target exists). */
export async function realPathOf(disk: Disk, path: string): Promise<string | null> {
  const absolute = resolve(path)
  let existing = absolute
  try {
    // a path that does not exist (yet) is where its deepest existing ancestor really is, plus the rest
    while (!(await disk.lstat(existing))) {
      const up = dirname(existing)
      if (up === existing) return absolute
      existing = up
    }
    return resolve(await disk.realpath(existing), relative(existing, absolute))
  } catch (error) {
    if (['ENOENT', 'ELOOP', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return null
    throw error
  }
}

export interface ConfineRules {
  /** refuse `root` itself: only something below it */
  strict?: boolean
  /** refuse a path with a segment below `root` starting with "." (wicker's .applied, .quarantine; hidden files) */
  noDotSegments?: boolean
  /** refuse a path that is itself a symlink, wherever it points */
  noFinalSymlink?: boolean
}

/**
 * `path` (absolute, or relative to `root`) made absolute, when it lies inside `root` both by name and
 * after every symlink on the way is followed; null otherwise. A path that does not exist is judged
 * by its deepest existing ancestor (what a later mkdir or write there would reach); a dangling or
 * looping symlink on the way is refused. Other errors (EACCES, EIO) are thrown, for the caller to
 * report as I/O.
 */
export async function confine(disk: Disk, root: string, path: string, rules: ConfineRules = {}): Promise<string | null> {
  const base = resolve(root)
  const absolute = resolve(base, path)
  if (!within(base, absolute)) return null
  const rel = relative(base, absolute)
  if (rules.strict && rel === '') return null
  if (rules.noDotSegments && rel !== '' && rel.split(sep).some((part) => part.startsWith('.'))) return null
  if (rules.noFinalSymlink && (await disk.lstat(absolute))?.kind === 'symlink') return null
  const [realRoot, realPath] = [await realPathOf(disk, base), await realPathOf(disk, absolute)]
  return realRoot !== null && realPath !== null && within(realRoot, realPath) ? absolute : null
}

/** `path` is inside `root` both by name and after every symlink on the way is followed. */
export async function insideReally(disk: Disk, root: string, path: string): Promise<boolean> {
  return (await confine(disk, root, resolve(path))) !== null
}
