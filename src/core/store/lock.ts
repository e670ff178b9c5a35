import {randomUUID} from 'node:crypto'
import {hostname} from 'node:os'

import {BlockedError, ioError, UsageError} from '../errors.js'
import type {Disk} from './disk.js'
import type {WickerPaths} from './paths.js'

/**
 * One writer at a time, by exclusive create of .wicker/lock. A lock is never broken silently: only
 * when its holder ran on this host and that process is gone, and then the command says so.
 */
export interface LockInfo {
  lockId: string
  pid: number
  host: string
  command: string
  startedAt: string
}

/** Locks taken by this process that are still held: a lock file naming this pid but not here is stale. */
const held = new Set<string>()

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function readLock(disk: Disk, paths: WickerPaths): Promise<LockInfo | null> {
  if (!disk.exists(paths.lock)) return null
  try {
    return JSON.parse((await disk.readFile(paths.lock)).toString('utf8')) as LockInfo
  } catch {
    return {lockId: '(unreadable)', pid: -1, host: '?', command: '?', startedAt: '?'}
  }
}

/** Whether the holder of a lock is certainly gone: same host, and its process no longer exists. */
export function isStale(lock: LockInfo): boolean {
  if (lock.host !== hostname()) return false
  if (lock.pid === process.pid) return !held.has(lock.lockId)
  return lock.pid > 0 && !isAlive(lock.pid)
}

export interface Lock {
  info: LockInfo
  /** what was done to get it, e.g. a stale lock that was cleared */
  notes: string[]
  release(): Promise<void>
}

export async function acquireLock(disk: Disk, paths: WickerPaths, command: string): Promise<Lock> {
  const info: LockInfo = {lockId: randomUUID(), pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString()}
  const notes: string[] = []
  await disk.mkdir(paths.root).catch((error) => {
    throw ioError(error, paths.root, 'create')
  })
  // The lock appears whole or not at all: written to a temp file, then hard-linked to its name (which
  // fails if a lock exists). A process killed mid-write never leaves an empty lock that looks held.
  const temp = `${paths.lock}.${info.lockId}.tmp`
  await disk.writeFile(temp, `${JSON.stringify(info)}\n`, {exclusive: true}).catch((error) => {
    throw ioError(error, temp, 'create the lock')
  })
  try {
    return await takeLock(disk, paths, info, temp, notes)
  } finally {
    await disk.unlink(temp).catch(() => undefined)
  }
}

async function takeLock(disk: Disk, paths: WickerPaths, info: LockInfo, temp: string, notes: string[]): Promise<Lock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await disk.link(temp, paths.lock)
      held.add(info.lockId)
      return {
        info,
        notes,
        async release() {
          held.delete(info.lockId)
          const current = await readLock(disk, paths).catch(() => null)
          if (current?.lockId === info.lockId) await disk.unlink(paths.lock)
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(error, paths.lock, 'create the lock')
    }
    const holder = await readLock(disk, paths)
    if (!holder) continue
    if (!isStale(holder)) {
      throw new BlockedError({
        code: 'E_LOCK_HELD',
        message: `lock held: ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}) is writing this course.`,
        hint: `Wait for it to finish. If no wicker process is running, remove the lock with: wicker unlock <course> --force ${holder.lockId}`,
        details: {lock: holder},
      })
    }
    // The holder is gone: move its lock aside (atomic, so only one process clears it) and try again.
    const aside = `${paths.lock}.stale-${holder.lockId}`
    try {
      await disk.rename(paths.lock, aside)
      notes.push(`cleared the lock of ${holder.command} (pid ${holder.pid}), which is no longer running (kept as ${aside})`)
    } catch {
      // another process cleared it first
    }
  }
  throw new BlockedError({code: 'E_LOCK_HELD', message: 'lock held: could not take the lock after clearing a stale one.', hint: 'Run the command again.'})
}

/** Removes a lock only when given its id. */
export async function forceUnlock(disk: Disk, paths: WickerPaths, lockId: string): Promise<LockInfo | null> {
  const holder = await readLock(disk, paths)
  if (!holder) return null
  if (holder.lockId !== lockId) {
    throw new UsageError({
      code: 'E_LOCK_ID',
      message: `the lock is held by ${holder.command} (pid ${holder.pid} on ${holder.host}) with id ${holder.lockId}, not ${lockId}.`,
      hint: 'Pass the lock id shown by `wicker status` (or in the "lock held" message). Make sure that process is really gone first.',
      details: {lock: holder},
    })
  }
  await disk.unlink(paths.lock).catch((error) => {
    throw ioError(error, paths.lock, 'remove the lock')
  })
  return holder
}
