import {constants as bufferConstants} from 'node:buffer'
import {constants} from 'node:fs'
import {open, type FileHandle} from 'node:fs/promises'

import {InputError, IoError, ioError, UsageError} from '../errors.js'

/**
 * The one way wicker reads a file from a course folder (lego_pairs, seed_pairs, canon, config,
 * state, journal, lock, plans, canon index…). A course folder is untrusted, so before a byte is read:
 *
 * - the file is opened O_RDONLY|O_NONBLOCK, so a FIFO cannot block the open (nor a read: it is
 *   refused next, by its type);
 * - the open handle is fstat-ed (not the path, which could be swapped in between) and anything but
 *   a regular file is refused: FIFO, character device (a symlink to /dev/zero), socket, folder;
 * - a size over the cap is refused before anything is allocated;
 * - exactly the fstat size is read from that handle, and a file that grew or shrank meanwhile is
 *   refused (its writer is not done), so memory is bounded by the cap whatever the file does. An
 *   append-only log (the journal, a launch ledger) legitimately grows while another process works:
 *   with `appendOnly` the bytes that were there at the open are read, and growth is no error.
 *
 * Symlinks are followed for reading, also out of the course: reading a canon that is a link into a
 * shared checkout is a real use, and a read cannot change anything. Where wicker writes is decided
 * by the writers (atomic-write, the transaction), not here.
 */
export const DEFAULT_MAX_FILE_BYTES = 500 * 1024 ** 2
/**
 * Node cannot hold a longer string (V8's limit, about 512 Mi characters), so a larger JSON file
 * could not be parsed at all: the cap refuses it with a message instead of a crash.
 */
export const LARGEST_JSON_BYTES = bufferConstants.MAX_STRING_LENGTH
export const MAX_FILE_BYTES_ENV = 'WICKER_MAX_FILE_BYTES'

/** The size cap: WICKER_MAX_FILE_BYTES if set (bytes, or with a k/m suffix), else 500 MiB. */
export function maxFileBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_FILE_BYTES_ENV]?.trim()
  if (!raw) return DEFAULT_MAX_FILE_BYTES
  const m = /^(\d+)\s*([kmg]i?b?)?$/i.exec(raw)
  const unit = {k: 1024, m: 1024 ** 2, g: 1024 ** 3}[m?.[2]?.[0]?.toLowerCase() as 'k' | 'm' | 'g'] ?? 1
  const bytes = m ? Number(m[1]) * unit : 0
  if (bytes <= 0 || bytes > LARGEST_JSON_BYTES) {
    throw new UsageError({
      code: 'E_USAGE_MAX_FILE_BYTES',
      message: `${MAX_FILE_BYTES_ENV}=${raw} is not a size from 1 byte to ${LARGEST_JSON_BYTES} bytes (the longest text Node can hold).`,
      hint: `Set ${MAX_FILE_BYTES_ENV} to a number of bytes, e.g. 104857600 or 100m, or unset it for the default (500 MiB).`,
      details: {value: raw, max: LARGEST_JSON_BYTES},
    })
  }
  return bytes
}

const NONBLOCK = constants.O_NONBLOCK ?? 0

function kindOf(stat: {isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean}): string {
  if (stat.isDirectory()) return 'a folder'
  if (stat.isFIFO()) return 'a FIFO (named pipe)'
  if (stat.isCharacterDevice()) return 'a character device'
  if (stat.isBlockDevice()) return 'a block device'
  if (stat.isSocket()) return 'a socket'
  return 'not a regular file'
}

function notAFile(file: string, kind: string): IoError {
  return new IoError({
    // a folder keeps the code it always had
    code: kind === 'a folder' ? 'E_IO_EISDIR' : 'E_IO_NOT_A_FILE',
    message: `Could not read ${file}: it is ${kind}, not a regular file.`,
    hint: `Replace ${file} with the regular file it should be (a symlink to a regular file is fine), then run the command again.`,
    details: {file, kind, operation: 'read'},
  })
}

function changing(file: string, expected: number): IoError {
  return new IoError({
    code: 'E_IO_CHANGING',
    message: `Could not read ${file}: it changed size while it was read (it was ${expected} bytes when opened).`,
    hint: 'Something is still writing it; run the command again when it is done.',
    details: {file, size: expected, operation: 'read'},
  })
}

/**
 * Opens a file for reading only if it is a regular file; the caller closes the handle. With
 * `noFollow` a symlink at the name is refused too (O_NOFOLLOW): for files whose writer is not
 * trusted to point elsewhere, like an agent's output (extract refuses links in staging alike).
 */
export async function openRegular(file: string, options: {noFollow?: boolean} = {}): Promise<{handle: FileHandle; size: number}> {
  let handle: FileHandle
  try {
    handle = await open(file, constants.O_RDONLY | NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0))
  } catch (error) {
    // a Unix socket cannot be opened at all
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') throw notAFile(file, 'a socket')
    if (options.noFollow && (error as NodeJS.ErrnoException).code === 'ELOOP') throw notAFile(file, 'a symbolic link')
    throw ioError(error, file, 'open')
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw notAFile(file, kindOf(stat))
    return {handle, size: stat.size}
  } catch (error) {
    await handle.close().catch(() => undefined)
    throw ioError(error, file, 'read')
  }
}

export interface ReadOptions {
  /** defaults to maxFileBytes() */
  maxBytes?: number
  /** the file is only ever appended to: read what was there at the open, even if it grows */
  appendOnly?: boolean
  /** refuse a symlink at the name instead of following it */
  noFollow?: boolean
  /** in a SharedArrayBuffer, which a worker thread reads without a copy (validate's check worker) */
  shared?: boolean
}

/** A course file's bytes, by the rules above. */
export async function readCourseFile(file: string, options: ReadOptions = {}): Promise<Buffer> {
  const max = options.maxBytes ?? maxFileBytes()
  const {handle, size} = await openRegular(file, {noFollow: options.noFollow})
  try {
    if (size > max) {
      throw new InputError({
        code: 'E_INPUT_TOO_LARGE',
        message: `${file} is ${size} bytes, over the ${max}-byte cap for a course file; it was not read.`,
        hint: max < LARGEST_JSON_BYTES ? `If the file is genuine, raise the cap with ${MAX_FILE_BYTES_ENV} (at most ${LARGEST_JSON_BYTES} bytes, the longest text Node can hold).` : `It is larger than any JSON text Node can parse (${LARGEST_JSON_BYTES} bytes); split or shrink it.`,
        details: {file, size, max},
      })
    }
    const bytes = options.shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafe(size)
    let filled = 0
    while (filled < size) {
      const {bytesRead} = await handle.read(bytes, filled, size - filled, filled)
      if (bytesRead === 0) throw changing(file, size)
      filled += bytesRead
    }
    if (options.appendOnly) return bytes
    // one byte more than fstat said: a file still growing is refused, not read without end
    const {bytesRead} = await handle.read(Buffer.alloc(1), 0, 1, size)
    if (bytesRead > 0) throw changing(file, size)
    return bytes
  } catch (error) {
    throw ioError(error, file, 'read')
  } finally {
    await handle.close().catch(() => undefined)
  }
}
