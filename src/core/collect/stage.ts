import {lstat} from 'node:fs/promises'
import {basename, extname, join} from 'node:path'

import {errnoOf, ioError, WickerError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {jsonText, writeFileAtomic} from '../store/atomic-write.js'
import {readCourseFile} from '../store/read-file.js'
import {walkFolder} from './walk.js'

/**
 * A collected file's provenance sits beside it as `.<name>.provenance.json`: a dot-file, so extract,
 * preview and launch (staging/scan.ts skips dot-files) never read it as a basket file.
 */
export const provenanceName = (name: string) => `.${name}.provenance.json`
const PROVENANCE = /^\..+\.provenance\.json$/

/**
 * sha256 → name of every file already in the staging folder, consumed ones in .applied/ included, so
 * a file collected before (and merged since) is not collected again. Symlinks are not followed.
 */
export async function stagedHashes(dir: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>()
  await walkFolder(dir, async ({path, ok, name, entry}) => {
    if (!ok || PROVENANCE.test(name)) return false
    if (entry.isFile()) hashes.set(sha256Hex(await readCourseFile(join(dir, path), {noFollow: true})), path)
    return entry.isDirectory()
  }, 'staging folder')
  return hashes
}

const exists = (path: string) => lstat(path).then(() => true, (error: unknown) => (errnoOf(error) === 'ENOENT' ? false : Promise.reject(ioError(error, path, 'look at'))))

/**
 * Writes `bytes` into the staging folder under the source's file name, or, when another file holds
 * that name, under `<stem>.<hash>.<ext>`: atomically (temp file, fsync, hard link), never over a file.
 * Returns the name used.
 */
export async function stageCollected(dir: string, path: string, bytes: Uint8Array, sha256: string, provenance: Record<string, unknown>): Promise<string> {
  let name = basename(path)
  if (name.startsWith('.')) name = `collected-${name.slice(1)}`
  const ext = extname(name)
  const names = [name, `${name.slice(0, name.length - ext.length)}.${sha256.slice(0, 12)}${ext}`]
  for (const candidate of names) {
    if (await exists(join(dir, candidate))) continue
    try {
      await writeFileAtomic(join(dir, candidate), bytes, {replace: false})
    } catch (error) {
      if (error instanceof WickerError && (await exists(join(dir, candidate)))) continue // taken meanwhile
      throw error
    }
    await writeFileAtomic(join(dir, provenanceName(candidate)), jsonText({...provenance, stagedAs: candidate}), {replace: false})
    return candidate
  }
  throw new WickerError(4, {code: 'E_COLLECT_NAME', message: `No free name for ${path} in ${dir}: ${names.join(' and ')} are both taken by other content.`, hint: 'Rename or move those staging files, then collect again.'})
}
