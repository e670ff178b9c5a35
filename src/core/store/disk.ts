import {constants, existsSync} from 'node:fs'
import {link, lstat, mkdir, open, readdir, realpath, rename, stat, unlink, type FileHandle} from 'node:fs/promises'

import {InputError, IoError} from '../errors.js'
import {sha256Pieces} from '../hash.js'
import {openRegular, readCourseFile} from './read-file.js'

/** What a write takes: text, bytes, or text in pieces. */
export type FileData = string | Uint8Array | Iterable<string>

/**
 * Every file operation of a canon transaction goes through a Disk, one call per step, so tests can
 * fail any step (EIO, ENOSPC, EACCES, or a crash after which nothing more happens) and prove that
 * canon is always either exactly as before or exactly as planned.
 */
export interface Disk {
  /** a regular file's bytes, under the size cap (read-file.ts): a FIFO, device or folder is refused */
  readFile(path: string): Promise<Buffer>
  /** sha256 of a file's bytes, read in pieces (a 100 MB canon is hashed without holding it twice) */
  sha256(path: string): Promise<string>
  /**
   * open (exclusive: fail if it exists), write, fsync (unless durable: false), close; never through
   * a symlink at `path` (see openForWrite). `data` may come in pieces (a large cache written as it
   * is made, never held whole)
   */
  writeFile(path: string, data: FileData, options: {exclusive: boolean; durable?: boolean}): Promise<void>
  /** append a line and fsync; never through a symlink at `path` */
  append(path: string, line: string): Promise<void>
  rename(from: string, to: string): Promise<void>
  /** a second name for a file (fails if `to` exists) */
  link(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  mkdir(path: string): Promise<void>
  /** fsync a folder, so a rename in it is durable */
  syncDir(path: string): Promise<void>
  exists(path: string): boolean
  /** what is at a path, without following a final symlink; null when nothing is */
  lstat(path: string): Promise<FileInfo | null>
  /** the same, following symlinks: the file a read or a rename over it would reach */
  stat(path: string): Promise<FileInfo | null>
  realpath(path: string): Promise<string>
  /** the names in a folder */
  readdir(path: string): Promise<string[]>
}

/** Enough of a stat to tell whether a file is still the one that was read (same inode, size and times). */
export interface FileInfo {
  kind: 'file' | 'dir' | 'symlink' | 'other'
  dev: bigint
  ino: bigint
  size: bigint
  mtimeNs: bigint
}

async function info(read: typeof stat, path: string): Promise<FileInfo | null> {
  try {
    const s = await read(path, {bigint: true})
    const kind = s.isSymbolicLink() ? 'symlink' : s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other'
    return {kind, dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null
    throw error
  }
}

/**
 * Same file, unchanged: a `git pull` or an editor's save by rename makes a new inode; a write in
 * place changes size or mtime. Not ctime: the backup's hard link changes it.
 */
export function sameFile(a: FileInfo | null, b: FileInfo | null): boolean {
  if (a === null || b === null) return a === b
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs
}

const HOW = {
  /** a new file: fails with EEXIST if anything is at the path, a dangling symlink included */
  create: constants.O_CREAT | constants.O_EXCL,
  truncate: constants.O_CREAT | constants.O_TRUNC,
  append: constants.O_CREAT | constants.O_APPEND,
} as const

/** The refusal for a symlink found where wicker writes a file. */
export function symlinkRefused(path: string): InputError {
  return new InputError({
    code: 'E_UNSAFE_PATH',
    message: `${path} is a symlink; wicker never writes through a symlink it finds in a course folder (it could lead anywhere), so nothing was written there.`,
    hint: `Remove the link (rm "${path}"); wicker makes the file itself. If it came with the course from elsewhere, check what else came with it.`,
    details: {file: path, kind: 'symlink'},
  })
}

/**
 * Opens a file for writing without following a symlink at its name (O_NOFOLLOW): names under
 * .wicker/ are predictable (a journal's tx, a staging file's hash, a packet id), so a link planted
 * at one would carry the write to its target, anywhere. O_NONBLOCK and the fstat refuse a FIFO
 * (which would block the open) or anything else that is not a regular file. Other errno errors
 * are thrown as they are (EEXIST, ENOSPC…); the caller closes the handle.
 */
export async function openForWrite(path: string, how: keyof typeof HOW): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_WRONLY | HOW[how] | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0), 0o666)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP') throw symlinkRefused(path)
    // a FIFO with no reader (O_NONBLOCK), or a socket
    if (code === 'ENXIO') throw notAFile(path)
    throw error
  }
  const s = await handle.stat().catch(async (error: unknown) => {
    await handle.close().catch(() => undefined)
    throw error
  })
  if (!s.isFile()) {
    await handle.close().catch(() => undefined)
    throw notAFile(path)
  }
  return handle
}

function notAFile(path: string): IoError {
  return new IoError({
    code: 'E_IO_NOT_A_FILE',
    message: `Could not write ${path}: it is not a regular file (a FIFO, socket, device or folder).`,
    hint: `Remove ${path}; wicker makes the file itself.`,
    details: {file: path, operation: 'write'},
  })
}

async function withHandle(path: string, how: keyof typeof HOW, work: (h: FileHandle) => Promise<void>, durable = true): Promise<void> {
  const handle = await openForWrite(path, how)
  try {
    await work(handle)
    if (durable) await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Text written in pieces is gathered into buffers of this size: one write each. */
const WRITE_PIECE = 1 << 20

/** Writes data whole; pieces one after another (each writeFile goes on from where the last ended). */
async function writeAll(handle: FileHandle, data: FileData): Promise<void> {
  if (typeof data === 'string' || data instanceof Uint8Array) return handle.writeFile(data)
  // each piece goes into the buffer as UTF-8 as it comes (the same bytes as writing it): no string
  // of a megabyte is made to gather them, which would be garbage of the old generation
  const buffer = Buffer.allocUnsafe(WRITE_PIECE)
  let used = 0
  for (const piece of data) {
    const size = Buffer.byteLength(piece)
    if (used > 0 && used + size > WRITE_PIECE) {
      await handle.writeFile(buffer.subarray(0, used))
      used = 0
    }
    if (size > WRITE_PIECE) await handle.writeFile(piece)
    else used += buffer.write(piece, used)
  }
  if (used > 0) await handle.writeFile(buffer.subarray(0, used))
}

const HASH_PIECE = 8 << 20

export const realDisk: Disk = {
  // wicker's append-only logs are its .ndjson files (journal, launch ledgers): another process may
  // append while they are read, and the lines there at the open are what the reader wants
  readFile: (path) => readCourseFile(path, {appendOnly: path.endsWith('.ndjson')}),
  async sha256(path) {
    const {handle, size} = await openRegular(path)
    // no bigger than the file: 900 staging files of 80 kB hashed through 8 MB each is 7 GB of
    // allocation, and the collections it sets off (a file that grew since is read in more pieces)
    const piece = Buffer.allocUnsafe(Math.min(HASH_PIECE, Math.max(size, 1)))
    const hash = sha256Pieces()
    try {
      for (;;) {
        const {bytesRead} = await handle.read(piece, 0, piece.length, null)
        if (bytesRead === 0) return hash.digest('hex')
        hash.update(piece.subarray(0, bytesRead))
      }
    } finally {
      await handle.close()
    }
  },
  writeFile: (path, data, options) => withHandle(path, options.exclusive ? 'create' : 'truncate', (h) => writeAll(h, data), options.durable !== false),
  append: (path, line) => withHandle(path, 'append', (h) => h.writeFile(line).then(() => undefined)),
  rename: (from, to) => rename(from, to),
  link: (from, to) => link(from, to),
  unlink: (path) => unlink(path),
  mkdir: (path) => mkdir(path, {recursive: true}).then(() => undefined),
  async syncDir(path) {
    let handle: FileHandle | undefined
    try {
      handle = await open(path, 'r')
      await handle.sync()
    } catch (error) {
      // Folders cannot be opened or fsynced everywhere (Windows); the rename is still atomic.
      if (process.platform !== 'win32') throw error
    } finally {
      await handle?.close()
    }
  },
  exists: (path) => existsSync(path),
  lstat: (path) => info(lstat as typeof stat, path),
  stat: (path) => info(stat, path),
  realpath: (path) => realpath(path),
  readdir: (path) => readdir(path),
}
