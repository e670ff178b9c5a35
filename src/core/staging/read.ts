import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs'
import {open, type FileHandle} from 'node:fs/promises'

import {ioError} from '../errors.js'
import type {StagingEntry} from './scan.js'

/**
 * The file a scan listed is not there any more as it was (gone, or another file under its name):
 * staging changed between the scan and the read, as it does while a merge moves files into
 * .applied/. Extract answers by scanning again; it is never an I/O error.
 */
export class StagingChanged extends Error {
  constructor(readonly file: string) {
    super(`${file} changed since staging was scanned`)
  }
}

const CHANGED = new Set(['ENOENT', 'ENOTDIR', 'ELOOP'])

/**
 * Opens a staging file without following a symlink at its name and without blocking on a FIFO;
 * null when what the scan saw is gone (or is a link now).
 */
async function openStaged(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    if (CHANGED.has((error as NodeJS.ErrnoException).code ?? '')) return null
    throw ioError(error, path, 'read the staging file')
  }
}

/**
 * Reads a staging file exactly as the scan saw it. Opened without following a symlink (one put in
 * its place since the scan is refused, not followed) and without blocking (a FIFO put in its place
 * does not hang the read); the open file must be the scanned one (same inode). Returns the bytes, or
 * 'being-written' when the same file grew or changed since the scan (an agent still writing it in
 * place: it is read next time, and does not make the rest of staging wait).
 */
export async function readStagingFile(entry: StagingEntry): Promise<Buffer | 'being-written'> {
  // the same system calls made here: a staging file is read in a few of them, and the thread pool's
  // round trips cost more than the reads (launch and orientation read one file at a time)
  return readStagingFileSync(entry)
}

/** readStagingFile for callers that read file after file (extract): each step a system call made here. */
export function readStagingFileSync(entry: StagingEntry): Buffer | 'being-written' {
  let fd: number
  try {
    fd = openSync(entry.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    if (CHANGED.has((error as NodeJS.ErrnoException).code ?? '')) throw new StagingChanged(entry.name)
    throw ioError(error, entry.path, 'read the staging file')
  }
  try {
    const before = fstatSync(fd)
    if (!before.isFile() || before.ino !== entry.ino) throw new StagingChanged(entry.name)
    if (before.size !== entry.size || before.mtimeMs !== entry.mtimeMs) return 'being-written'
    const bytes = Buffer.allocUnsafe(entry.size)
    let got = 0
    while (got < entry.size) {
      const bytesRead = readSync(fd, bytes, got, entry.size - got, got)
      if (bytesRead === 0) break
      got += bytesRead
    }
    const after = fstatSync(fd)
    if (after.size !== entry.size || after.mtimeMs !== entry.mtimeMs || got !== entry.size) return 'being-written'
    return bytes
  } catch (error) {
    if (error instanceof StagingChanged) throw error
    throw ioError(error, entry.path, 'read the staging file')
  } finally {
    try {
      closeSync(fd)
    } catch {
      // as the async reader: a failed close loses nothing that was read
    }
  }
}

/**
 * The bytes of a staging file read earlier, if it still holds exactly them (same sha256); null when
 * it is gone, replaced by a symlink or not a file, or changed. For copies made after extract
 * (quarantine): never follows a link out of staging, never copies something it did not check.
 */
export async function readIfUnchanged(path: string, sha256: string, hash: (bytes: Uint8Array) => string): Promise<Buffer | null> {
  const handle = await openStaged(path)
  if (!handle) return null
  try {
    if (!(await handle.stat()).isFile()) return null
    const bytes = await handle.readFile()
    return hash(bytes) === sha256 ? bytes : null
  } catch (error) {
    throw ioError(error, path, 'read the staging file')
  } finally {
    await handle.close().catch(() => undefined)
  }
}
