import {createHash} from 'node:crypto'
import {existsSync, type Stats} from 'node:fs'
import {link, lstat, mkdir, open, readdir, readFile, rename, unlink, type FileHandle} from 'node:fs/promises'

/**
 * Every file operation of a canon transaction goes through a Disk, one call per step, so tests can
 * fail any step (EIO, ENOSPC, EACCES, or a crash after which nothing more happens) and prove that
 * canon is always either exactly as before or exactly as planned.
 */
export interface Disk {
  readFile(path: string): Promise<Buffer>
  /** sha256 of a file's bytes, read in pieces (a 100 MB canon is hashed without holding it twice) */
  sha256(path: string): Promise<string>
  /** open (exclusive: fail if it exists), write, fsync, close */
  writeFile(path: string, data: string | Uint8Array, options: {exclusive: boolean}): Promise<void>
  /** append a line and fsync */
  append(path: string, line: string): Promise<void>
  rename(from: string, to: string): Promise<void>
  /** a second name for a file (fails if `to` exists) */
  link(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  mkdir(path: string): Promise<void>
  /** fsync a folder, so a rename in it is durable */
  syncDir(path: string): Promise<void>
  exists(path: string): boolean
  /** the names in a folder */
  readdir(path: string): Promise<string[]>
  /** what is at a path, without following a symlink */
  lstat(path: string): Promise<Stats>
}

async function withHandle(path: string, flags: string, work: (h: FileHandle) => Promise<void>): Promise<void> {
  const handle = await open(path, flags)
  try {
    await work(handle)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

const HASH_PIECE = 8 << 20

export const realDisk: Disk = {
  readFile: (path) => readFile(path),
  async sha256(path) {
    const handle = await open(path, 'r')
    const piece = Buffer.allocUnsafe(HASH_PIECE)
    const hash = createHash('sha256')
    try {
      for (;;) {
        const {bytesRead} = await handle.read(piece, 0, HASH_PIECE, null)
        if (bytesRead === 0) return hash.digest('hex')
        hash.update(piece.subarray(0, bytesRead))
      }
    } finally {
      await handle.close()
    }
  },
  writeFile: (path, data, options) => withHandle(path, options.exclusive ? 'wx' : 'w', (h) => h.writeFile(data).then(() => undefined)),
  append: (path, line) => withHandle(path, 'a', (h) => h.writeFile(line).then(() => undefined)),
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
  readdir: (path) => readdir(path),
  lstat: (path) => lstat(path),
}
