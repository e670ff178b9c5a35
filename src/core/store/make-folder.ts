import {mkdir, stat} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

import {ioError, UsageError} from '../errors.js'

async function kindOf(path: string): Promise<'dir' | 'other' | null> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'other'
  } catch (error) {
    // ENOTDIR: a file further up; the walk up finds it
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return null
    throw ioError(error, path, 'look at')
  }
}

/**
 * Makes a folder the user named (init DIR, demo DIR). Its parent must exist, unless `parents`
 * (like mkdir -p); then the missing levels are made one at a time, each with a plain mkdir, so a
 * level the file system refuses (under /proc, a read-only mount) fails at once with its path,
 * where Node's recursive mkdir can spin for ever. Returns the folders it made.
 */
export async function makeFolder(path: string, options: {parents?: boolean; flag?: string} = {}): Promise<string[]> {
  const dir = resolve(path)
  const missing: string[] = []
  let at = dir
  for (;;) {
    const kind = await kindOf(at)
    if (kind === 'dir') break
    if (kind === 'other') {
      throw new UsageError({code: 'E_NOT_A_FOLDER', message: `${at} is a file, not a folder, so ${dir} cannot be made there.`, hint: 'Check the path, or move that file away.', details: {file: at}})
    }
    missing.unshift(at)
    const up = dirname(at)
    if (up === at) break
    at = up
  }
  if (missing.length > 1 && !options.parents) {
    const parent = dirname(dir)
    throw new UsageError({
      code: 'E_NO_PARENT',
      message: `The folder ${parent} does not exist, so ${dir} was not made.`,
      hint: `Check the path, or pass ${options.flag ?? '--parents'} to make the missing folders too (like mkdir -p).`,
      details: {file: dir, parent},
    })
  }
  for (const level of missing) {
    await mkdir(level).catch((error: NodeJS.ErrnoException) => {
      // another process made it meanwhile: fine
      if (error.code === 'EEXIST') return
      throw ioError(error, level, 'create the folder')
    })
  }
  return missing
}
