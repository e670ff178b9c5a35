import {randomBytes} from 'node:crypto'
import {basename, dirname, join} from 'node:path'

import {ioError} from '../errors.js'
import {realDisk, type Disk} from './disk.js'

/**
 * Writes a file so that readers see either the old content or the new, never a part: temp file in
 * the same folder, fsync, rename over the target, fsync the folder. The temp file's name is random
 * and it is created exclusively (O_EXCL, never through a symlink), so nothing planted in the folder
 * can be written through; the rename replaces whatever is at the target, a symlink included,
 * without following it. The folder is the caller's to trust (wicker-folder.ts for .wicker/).
 * `disk` lets the transaction's tests fail any step of it.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: {replace?: boolean; durable?: boolean; disk?: Disk} = {}): Promise<void> {
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
