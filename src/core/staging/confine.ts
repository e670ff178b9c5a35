import {lstat, realpath} from 'node:fs/promises'
import {dirname, relative, resolve, sep} from 'node:path'

import {isInside} from './scan.js'

/**
 * The absolute path of a staging file named by something read back from disk (a plan), when it is
 * one: under one of the staging folders being read, not in a dot-folder (.applied, .quarantine),
 * reached through no symlink, and, when `stagingDir` is given, under that folder (a consumed file is
 * moved into <stagingDir>/.applied/). Null otherwise: such a name must not make wicker read or move
 * anything else.
 */
export async function stagingPath(file: string, stagingDir: string | null, dirs: string[], courseDir: string): Promise<string | null> {
  const path = resolve(courseDir, file)
  const dir = dirs.find((d) => isInside(d, path) && d !== path)
  if (!dir) return null
  if (stagingDir !== null && resolve(courseDir, stagingDir) !== dir) return null
  if (relative(dir, path).split(sep).some((part) => part.startsWith('.'))) return null
  try {
    if (isInside(courseDir, dir) && (await lstat(dir)).isSymbolicLink()) return null
    if ((await lstat(path)).isSymbolicLink()) return null
    if (!isInside(await realpath(dir), await realpath(dirname(path)))) return null
  } catch (error) {
    // a file that is gone is the caller's to report (a stale plan); it leads nowhere
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  return path
}
