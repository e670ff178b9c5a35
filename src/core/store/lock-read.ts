import {formatIssues} from '../schemas/config.js'
import {lockInfoSchema, type LockInfo} from '../schemas/lock.js'
import {errnoOf, ioError} from '../errors.js'
import type {Disk} from './disk.js'

/** A lock document is a few hundred bytes; anything much bigger was not written by wicker. */
const MAX_BYTES = 16 * 1024

/** What a lock file (or token) holds, read without trusting it. */
export type LockDocument =
  | {kind: 'ok'; info: LockInfo}
  /** unusable: `problem` says why; `lockId` is its raw id when it has a string one (compared, never used in a path) */
  | {kind: 'bad'; problem: string; lockId: string | null}

// gone between the lstat and the read (released, or moved aside by a takeover): no lock there
const isMissing = (error: unknown) => errnoOf(error) === 'ENOENT'

/** Reads a lock document; null when there is none. Never follows a symlink or opens a FIFO. */
export async function readLockDocument(disk: Disk, path: string): Promise<LockDocument | null> {
  let bytes: Buffer
  try {
    const stat = await disk.lstat(path)
    if (!stat) return null
    if (stat.kind !== 'file') return {kind: 'bad', problem: `is not a regular file (${stat.kind === 'symlink' ? 'a symlink' : stat.kind === 'dir' ? 'a folder' : 'a FIFO, socket or device'})`, lockId: null}
    if (stat.size > BigInt(MAX_BYTES)) return {kind: 'bad', problem: `is ${stat.size} bytes, not a lock wicker wrote`, lockId: null}
    bytes = await disk.readFile(path)
  } catch (error) {
    if (isMissing(error)) return null
    throw ioError(error, path, 'read the lock')
  }
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    return {kind: 'bad', problem: 'is not JSON', lockId: null}
  }
  const parsed = lockInfoSchema.safeParse(value)
  if (parsed.success) return {kind: 'ok', info: parsed.data}
  const rawId = (value as {lockId?: unknown} | null)?.lockId
  return {kind: 'bad', problem: `is not a lock wicker wrote (${formatIssues(parsed.error).slice(0, 3).join('; ')})`, lockId: typeof rawId === 'string' ? rawId : null}
}
