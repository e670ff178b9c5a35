import {lstat, stat} from 'node:fs/promises'

import {errnoOf, ioError, UsageError, WickerError} from '../errors.js'
import {readJsonFile, readText} from './read-json.js'

/**
 * A file the user named with a flag (--plan, --manifest, --resolutions, --config): when it is not
 * there or cannot be read, that is the user's mistake, reported the same way for every flag (exit 2,
 * "check the path"), not a disk failure (exit 4).
 */
export interface NamedFile {
  /** the flag that named it, e.g. "--plan" */
  flag: string
  /** what it is, for messages: "Plan" */
  what: string
}

const MISSING = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG'])
const UNREADABLE = new Set(['EACCES', 'EPERM', 'EISDIR'])
const NOT_A_FILE = new Set(['E_IO_EISDIR', 'E_IO_NOT_A_FILE'])

/** The usage error for a named file that is missing or not readable; null for any other failure. */
export function namedFileError(error: unknown, file: string, named: NamedFile): UsageError | null {
  const errno = errnoOf(error)
  const code = error instanceof WickerError ? error.code : undefined
  const missing = errno !== undefined && MISSING.has(errno)
  if (!missing && !(errno !== undefined && UNREADABLE.has(errno)) && !(code !== undefined && NOT_A_FILE.has(code))) return null
  const why = missing ? 'does not exist' : errno && UNREADABLE.has(errno) && errno !== 'EISDIR' ? 'cannot be read (permission denied)' : 'is not a regular file'
  return new UsageError({
    code: missing ? 'E_FILE_MISSING' : 'E_FILE_UNREADABLE',
    message: `${named.what} file ${file} (given to ${named.flag}) ${why}.`,
    hint: `Check the path given to ${named.flag}${missing ? '' : ' and that the file is readable'}.`,
    details: {file, flag: named.flag, errno: errno ?? code},
  })
}

async function named<T>(file: string, how: NamedFile, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    throw namedFileError(error, file, how) ?? error
  }
}

/** readJsonFile for a file the user named with a flag. */
export function readNamedJson(file: string, how: NamedFile): ReturnType<typeof readJsonFile> {
  return named(file, how, () => readJsonFile(file, how.what))
}

/** readText for a file the user named with a flag. */
export function readNamedText(file: string, how: NamedFile): Promise<string> {
  return named(file, how, () => readText(file))
}

/**
 * A folder the user named with a flag (--staging, --from) must be there and be a folder: a mistyped
 * path read as "nothing there" is how an extractor once read 0 baskets without a word. Exit 2 naming
 * the flag; with `links: 'refuse'` a symbolic link is refused, never followed.
 */
export async function checkNamedFolder(dir: string, named: NamedFile & {code: string; links: 'follow' | 'refuse'}): Promise<void> {
  const found = await (named.links === 'follow' ? stat(dir) : lstat(dir)).catch((error: unknown) => {
    if (['ENOENT', 'ENOTDIR'].includes(errnoOf(error) ?? '')) return null
    throw ioError(error, dir, 'look at the folder')
  })
  if (found?.isDirectory()) return
  const why = found === null ? 'does not exist' : found.isSymbolicLink() ? 'is a symbolic link (refused, never followed)' : 'is not a folder'
  throw new UsageError({code: named.code, message: `${named.what} ${dir} (given to ${named.flag}) ${why}.`, hint: `Check the path given to ${named.flag}.`, details: {file: dir, flag: named.flag}})
}
