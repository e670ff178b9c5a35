import {dirname, isAbsolute, relative, resolve, sep} from 'node:path'

import type {Disk} from './disk.js'

/**
 * A course folder is untrusted (DESIGN.md §5): a path read from it, or a symlink inside it, must
 * not lead wicker out of it. These checks resolve a path as the kernel would (symlinked folders
 * included) before anything is read, written or moved there.
 */

/** `child` is `parent` or below it, by name only (no symlinks followed). */
export function within(parent: string, child: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

/** The real path of `path`: of itself where it exists, else of its deepest existing ancestor plus the rest. */
export async function realPathOf(disk: Disk, path: string): Promise<string> {
  const absolute = resolve(path)
  let existing = absolute
  while (!(await disk.lstat(existing))) {
    const up = dirname(existing)
    if (up === existing) return absolute
    existing = up
  }
  return resolve(await disk.realpath(existing), relative(existing, absolute))
}

/** `path` is inside `root` both by name and after every symlink on the way is followed. */
export async function insideReally(disk: Disk, root: string, path: string): Promise<boolean> {
  if (!within(root, resolve(path))) return false
  return within(await realPathOf(disk, root), await realPathOf(disk, path))
}
