import type {Dirent} from 'node:fs'
import {lstat, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {errnoOf, ioError, UsageError} from '../errors.js'
import {decodeName} from '../staging/names.js'
import {readCourseFile} from '../store/read-file.js'
import {hostilePath, type FoundFile, type LeftFile, type SourceFiles} from './types.js'

const TEMP = /(\.(tmp|temp|partial|part|swp|swo|crdownload)$)|(~$)|(^\.#)|(^#.*#$)/i

/**
 * The JSON files of a folder such as a downloaded CI artifact, recursing. As extract reads staging:
 * dot-entries are hidden and skipped, symlinks are refused (never followed), a name that is not
 * UTF-8 or holds control characters is refused, FIFOs and devices are never opened.
 */
export async function dirFiles(dir: string): Promise<SourceFiles> {
  const top = await lstat(dir).catch((error: unknown) => {
    if (['ENOENT', 'ENOTDIR'].includes(errnoOf(error) ?? '')) return null
    throw ioError(error, dir, 'look at the folder')
  })
  if (!top?.isDirectory()) {
    throw new UsageError({code: 'E_FROM_MISSING', message: `Folder ${dir} (given to --from) ${top === null ? 'does not exist' : top.isSymbolicLink() ? 'is a symbolic link (refused, never followed)' : 'is not a folder'}.`, hint: 'Check the path given to --from.', details: {file: dir, flag: '--from'}})
  }
  const found: FoundFile[] = []
  const left: LeftFile[] = []
  const stack: string[] = ['']
  while (stack.length > 0) {
    const rel = stack.pop()!
    let entries: Dirent<Buffer>[]
    try {
      entries = await readdir(join(dir, rel), {withFileTypes: true, encoding: 'buffer'})
    } catch (error) {
      throw ioError(error, join(dir, rel), 'list the folder')
    }
    for (const entry of entries) {
      const name = decodeName(entry.name)
      const path = rel === '' ? name.text : `${rel}/${name.text}`
      if (name.text.startsWith('.') || TEMP.test(name.text)) continue
      const why = !name.ok ? 'the name is not valid UTF-8 (shown with \\x escapes): refused, as extract refuses it' : hostilePath(path)
      if (why) left.push({path, action: 'refused', reason: why})
      else if (entry.isSymbolicLink()) left.push({path, action: 'refused', reason: 'a symbolic link: refused, never followed'})
      else if (entry.isDirectory()) stack.push(path)
      else if (!entry.isFile()) left.push({path, action: 'refused', reason: 'not a regular file (a FIFO, socket or device): refused'})
      else if (path.toLowerCase().endsWith('.json')) found.push({path, bytes: await readCourseFile(join(dir, path), {noFollow: true})})
    }
  }
  found.sort((a, b) => (a.path < b.path ? -1 : 1))
  left.sort((a, b) => (a.path < b.path ? -1 : 1))
  return {ref: {kind: 'dir', source: dir, commit: null}, found, left}
}
