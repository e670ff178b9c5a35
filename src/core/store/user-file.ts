import {resolve} from 'node:path'

import {errnoOf, UsageError} from '../errors.js'
import {writeFileAtomic} from './atomic-write.js'

/**
 * Writes a file the user named with a flag (validate --output, report --out), relative to the
 * working folder, atomically (a CI step never reads half a file). A path that cannot be a file (no
 * such folder, a folder in the way) is the user's to fix: exit 2, naming the flag.
 */
export async function writeUserFile(cwd: string, file: string, text: string | Uint8Array, flag: string): Promise<string> {
  const path = resolve(cwd, file)
  try {
    await writeFileAtomic(path, text, {durable: false})
  } catch (error) {
    const errno = errnoOf(error)
    if (errno === 'ENOENT' || errno === 'ENOTDIR' || errno === 'EISDIR') {
      throw new UsageError({code: 'E_OUTPUT', message: `${flag} ${file}: cannot write a file at ${path} (${errno === 'EISDIR' ? 'a folder is in the way' : 'its folder does not exist'}).`, hint: 'Name a file in an existing folder.', details: {file: path, errno, flag}})
    }
    throw error
  }
  return path
}
