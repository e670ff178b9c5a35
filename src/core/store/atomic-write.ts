import {randomBytes} from 'node:crypto'
import {link, open, rename, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {ioError} from '../errors.js'

/** fsync a folder so a rename inside it survives a power cut (a no-op where folders cannot be opened). */
export async function fsyncDir(dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch {
    // Some platforms and file systems do not allow fsync on a folder; the rename is still atomic.
  } finally {
    await handle?.close()
  }
}

/**
 * Writes a file so that readers see either the old content or the new, never a part:
 * temp file in the same folder, fsync, rename over the target, fsync the folder.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: {replace?: boolean; durable?: boolean} = {}): Promise<void> {
  const dir = dirname(file)
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const replace = options.replace ?? true
  try {
    const handle = await open(temp, 'wx')
    try {
      await handle.writeFile(data)
      // durable: survive a power cut (canon, staging); files wicker can make again skip the fsyncs
      if (options.durable !== false) await handle.sync()
    } finally {
      await handle.close()
    }
    // replace: rename over the target; otherwise a hard link, which fails rather than replace a file
    if (replace) await rename(temp, file)
    else await link(temp, file)
  } catch (error) {
    throw ioError(error, file, (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'write (a file of that name already exists, and it is never overwritten)' : 'write')
  } finally {
    await unlink(temp).catch(() => undefined)
  }
  if (options.durable !== false) await fsyncDir(dir)
}

/** Deterministic JSON text: 2-space indent and a trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}
