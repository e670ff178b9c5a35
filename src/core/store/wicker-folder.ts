import {join, relative, resolve, sep} from 'node:path'

import {InputError, IoError, ioError} from '../errors.js'
import {writeFileAtomic} from './atomic-write.js'
import {openForWrite, realDisk, type Disk, type FileInfo} from './disk.js'
import {within} from './inside.js'

/**
 * Where wicker writes inside a course folder (.wicker/ and everything under it). The course folder
 * is untrusted (DESIGN.md §5), and the names wicker writes there are predictable, so:
 *
 * - every folder from the course down to the one written in is a real folder: each segment is
 *   lstat-ed (a symlinked .wicker, runs/ or runs/<run> would send every write below it elsewhere)
 *   and refused if it is a symlink (E_UNSAFE_PATH, exit 2) or a file (ENOTDIR, exit 4);
 * - a file is written whole by writeFileAtomic (random temp name created with O_EXCL, then a rename,
 *   which replaces a planted symlink rather than follow it), or appended to with O_NOFOLLOW.
 *
 * The course folder itself may be a symlink: the user named it. Reads are not checked here: a read
 * changes nothing (read-file.ts), but a folder a read decides to write into later is (checkRealFolder).
 */

function symlinkedFolder(path: string): InputError {
  return new InputError({
    code: 'E_UNSAFE_PATH',
    message: `${path} is a symlink; wicker keeps its files only in real folders inside the course, so that nothing in a course folder can send a write outside it. Nothing was written.`,
    hint: `Replace ${path} with a real folder (move what it links to into it, or remove the link: wicker makes the folder itself), then run the command again.`,
    details: {file: path, kind: 'symlink'},
  })
}

function fileInTheWay(path: string, kind: FileInfo['kind']): IoError {
  // the same code and exit as the mkdir that used to fail here (ENOTDIR, exit 4)
  return new IoError({
    code: 'E_IO_ENOTDIR',
    message: `Could not use ${path} as a folder: it is ${kind === 'file' ? 'a file' : 'not a folder'} (ENOTDIR).`,
    hint: 'a file is where a folder was expected (e.g. .wicker or the staging folder); rename or remove it',
    details: {file: path, errno: 'ENOTDIR'},
  })
}

async function walk(disk: Disk, courseDir: string, dir: string, create: boolean): Promise<void> {
  const course = resolve(courseDir)
  const target = resolve(dir)
  if (!within(course, target)) throw new Error(`bug: ${target} is not inside the course ${course}`)
  let current = course
  for (const part of relative(course, target).split(sep).filter(Boolean)) {
    current = join(current, part)
    const at = current
    const lstat = () => disk.lstat(at).catch((error: unknown) => {
      throw ioError(error, at, 'read')
    })
    let info = await lstat()
    if (info === null) {
      // nothing below a missing folder can lead anywhere
      if (!create) return
      await disk.mkdir(at).catch((error: unknown) => {
        throw ioError(error, at, 'create')
      })
      // checked again: made by us, or by another process meanwhile, it must be a folder now
      info = await lstat()
    }
    if (info?.kind === 'symlink') throw symlinkedFolder(at)
    if (info?.kind !== 'dir') throw fileInTheWay(at, info?.kind ?? 'other')
  }
}

/** Makes `dir` (inside the course) and every missing folder above it, each a real folder; returns `dir`. */
export async function makeRealFolder(courseDir: string, dir: string, disk: Disk = realDisk): Promise<string> {
  await walk(disk, courseDir, dir, true)
  return dir
}

/**
 * The same check without making anything: the folders of `dir` that exist are real folders. For a
 * folder that is read first and written into later (a run's folder), so a link is refused before
 * anything is read through it.
 */
export async function checkRealFolder(courseDir: string, dir: string, disk: Disk = realDisk): Promise<void> {
  await walk(disk, courseDir, dir, false)
}

/** Writes `file` (below the course) whole, in a real folder: writeFileAtomic's options. */
export async function writeInside(courseDir: string, file: string, data: string | Uint8Array, options: {replace?: boolean; durable?: boolean; disk?: Disk} = {}): Promise<void> {
  await makeRealFolder(courseDir, resolve(file, '..'), options.disk)
  await writeFileAtomic(file, data, options)
}

/**
 * Appends to a file in a folder the caller has made with makeRealFolder, never through a symlink at
 * its name. Without `sync` (launch's ledger and logs) nothing is fsynced: they are records of what
 * ran, and the outputs they describe are in staging, durable.
 */
export async function appendNoFollow(file: string, data: string | Uint8Array, options: {sync?: boolean} = {}): Promise<void> {
  let handle
  try {
    handle = await openForWrite(file, 'append')
    await handle.writeFile(data)
    if (options.sync) await handle.sync()
  } catch (error) {
    throw ioError(error, file, 'append to')
  } finally {
    await handle?.close()
  }
}
