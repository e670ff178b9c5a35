import {randomBytes} from 'node:crypto'
import {basename, dirname, join} from 'node:path'

import {ioError} from '../errors.js'
import {realDisk, type Disk, type FileData} from './disk.js'

/**
 * Writes a file so that readers see either the old content or the new, never a part: temp file in
 * the same folder, fsync, rename over the target, fsync the folder. The temp file's name is random
 * and it is created exclusively (O_EXCL, never through a symlink), so nothing planted in the folder
 * can be written through; the rename replaces whatever is at the target, a symlink included,
 * without following it. The folder is the caller's to trust (wicker-folder.ts for .wicker/).
 * `disk` lets the transaction's tests fail any step of it.
 */
export async function writeFileAtomic(file: string, data: FileData, options: {replace?: boolean; durable?: boolean; disk?: Disk} = {}): Promise<void> {
  const disk = options.disk ?? realDisk
  const dir = dirname(file)
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const replace = options.replace ?? true
  // durable: survive a power cut (canon, staging, state); files wicker can make again skip the fsyncs
  const durable = options.durable !== false
  let renamed = false
  try {
    await disk.writeFile(temp, data, {exclusive: true, durable})
    // replace: rename over the target; otherwise a hard link, which fails rather than replace a file
    if (replace) {
      await disk.rename(temp, file)
      renamed = true
    } else await disk.link(temp, file)
  } catch (error) {
    throw ioError(error, file, (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'write (a file of that name already exists, and it is never overwritten)' : 'write')
  } finally {
    if (!renamed) await disk.unlink(temp).catch(() => undefined)
  }
  // Some platforms and file systems do not allow fsync on a folder; the rename is still atomic.
  if (durable) await disk.syncDir(dir).catch(() => undefined)
}

/** Deterministic JSON text: 2-space indent and a trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

/**
 * Pieces of text are gathered up to this size (in UTF-16 units) before they are handed on: small
 * enough to be young garbage (the writer gathers them into megabyte buffers, Disk.writeFile), not
 * strings in the large-object space that only a full collection frees.
 */
const PIECE = 1 << 14

/**
 * The JSON text of an object, in pieces, for a file too large to hold twice (.wicker/extract.json):
 * its members one to a line, and each element of an array member on a line of its own, compact.
 * Parsed, it is exactly `JSON.parse(jsonText(value))`; only the white space differs.
 */
export function* jsonPieces(value: Record<string, unknown>): Generator<string> {
  let out = '{'
  let first = true
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue
    out += `${first ? '' : ','}\n  ${JSON.stringify(key)}: `
    first = false
    if (!Array.isArray(member) || member.length === 0) {
      out += JSON.stringify(member)
      continue
    }
    out += '['
    for (let i = 0; i < member.length; i++) {
      // as JSON.stringify writes an array: an element that has no JSON form is null
      out += `${i === 0 ? '' : ','}\n    ${JSON.stringify(member[i]) ?? 'null'}`
      if (out.length >= PIECE) {
        yield out
        out = ''
      }
    }
    out += '\n  ]'
  }
  yield `${out}${first ? '' : '\n'}}\n`
}
