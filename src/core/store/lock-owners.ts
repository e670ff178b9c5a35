import {hostname} from 'node:os'

import type {LockInfo} from '../schemas/lock.js'

/**
 * Who is alive, for the lock. A pid can only be judged on its own host; and this process judges its
 * own pid by what it is doing now, so a lock or claim left by an earlier run in this process (one a
 * test made "crash") counts as gone.
 */

/** Ids of the locks this process has a token for: being taken, or held. */
export const ownTokens = new Set<string>()
/** Claim ids this process is clearing a stale lock with right now. */
export const ownClaims = new Set<string>()

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether the holder of a lock (or token) is certainly gone: same host, and its process no longer exists. */
export function isStale(lock: LockInfo): boolean {
  if (lock.host !== hostname()) return false
  if (lock.pid === process.pid) return !ownTokens.has(lock.lockId)
  return !isAlive(lock.pid)
}

/** Whether the process that made a claim is certainly gone (claims are only made on the lock's host). */
export function claimantGone(pid: number, claimId: string): boolean {
  if (pid === process.pid) return !ownClaims.has(claimId)
  return !isAlive(pid)
}
