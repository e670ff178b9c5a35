import {join} from 'node:path'

import {TEMP} from '../staging/scan.js'
import {checkNamedFolder} from '../store/named-file.js'
import {readCourseFile} from '../store/read-file.js'
import {walkFolder} from './walk.js'
import {hostilePath, type FoundFile, type LeftFile, type SourceFiles} from './types.js'

/**
 * The JSON files of a folder such as a downloaded CI artifact, recursing. As extract reads staging:
 * dot-entries are hidden and skipped, symlinks are refused (never followed), a name that is not
 * UTF-8 or holds control characters is refused, FIFOs and devices are never opened.
 */
export async function dirFiles(dir: string): Promise<SourceFiles> {
  await checkNamedFolder(dir, {flag: '--from', what: 'Folder', code: 'E_FROM_MISSING', links: 'refuse'})
  const found: FoundFile[] = []
  const left: LeftFile[] = []
  await walkFolder(dir, async ({path, ok, name, entry}) => {
    if (name.startsWith('.') || TEMP.test(name)) return false
    const why = !ok ? 'the name is not valid UTF-8 (shown with \\x escapes): refused, as extract refuses it' : hostilePath(path)
    if (why) left.push({path, action: 'refused', reason: why})
    else if (entry.isSymbolicLink()) left.push({path, action: 'refused', reason: 'a symbolic link: refused, never followed'})
    else if (entry.isDirectory()) return true
    else if (!entry.isFile()) left.push({path, action: 'refused', reason: 'not a regular file (a FIFO, socket or device): refused'})
    else if (path.toLowerCase().endsWith('.json')) found.push({path, bytes: await readCourseFile(join(dir, path), {noFollow: true})})
    return false
  }, 'folder')
  found.sort((a, b) => (a.path < b.path ? -1 : 1))
  left.sort((a, b) => (a.path < b.path ? -1 : 1))
  return {ref: {kind: 'dir', source: dir, commit: null}, found, left}
}
