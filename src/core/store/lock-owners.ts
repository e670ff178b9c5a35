import {hostname} from 'node:os'

import {bootId, isAlive, pidNamespace, processStartTime} from '../proc/identity.js'
import type {LockInfo} from '../schemas/lock.js'

export {isAlive}

/**
 * Who is alive, for the lock. A pid can only be judged on its own host; and this process judges its
 * own pid by what it is doing now, so a lock or claim left by an earlier run in this process (one a
 * test made "crash") counts as gone.
 */

/** Ids of the locks this process has a token for: being taken, or held. */
export const ownTokens = new Set<string>()
/** Claim ids this process is clearing a stale lock with right now. */
export const ownClaims = new Set<string>()

/**
 * `WICKER_EXCLUSIVE_HOSTNAME=1`: this host name is never shared by two live wicker processes in
 * different pid namespaces, so a lock of this host from another pid namespace is a dead
 * predecessor's. True of a pod of a Kubernetes Indexed Job with `podReplacementPolicy: Failed`
 * (hostname <job>-<index>; the next pod of an index starts only once the last has stopped), which
 * `wicker ci k8s` writes: without it, a shard's lock left on the shared volume by an OOM-killed
 * pod would block every retry of that shard. Never set it where containers share a host name.
 */
export const EXCLUSIVE_HOSTNAME_ENV = 'WICKER_EXCLUSIVE_HOSTNAME'

const exclusiveHostname = () => process.env[EXCLUSIVE_HOSTNAME_ENV] === '1'

/** Who this process is, for the lock document; empty where /proc is not there (see isStale). */
export function selfIdentity(): Pick<LockInfo, 'bootId' | 'pidNamespace' | 'startTicks'> {
  const boot = bootId()
  const ns = pidNamespace()
  const start = processStartTime(process.pid)
  return boot !== null && ns !== null && start !== null ? {bootId: boot, pidNamespace: ns, startTicks: start} : {}
}

/**
 * Whether the holder of a lock (or token) is certainly gone. Only a lock of this host is ever judged.
 * With /proc (Linux) and a lock that records who its holder was: another boot id means the machine
 * rebooted since (gone); another pid namespace means its pid names nothing we can see (never judged:
 * a live merge in a container would look dead from the host, unless WICKER_EXCLUSIVE_HOSTNAME says
 * no other namespace uses this host name while it lives); otherwise gone when no process has
 * that pid or the one that has it started at another time (the pid was reused). Without /proc, or for
 * a lock of an earlier version: gone when no process has that pid.
 */
export function isStale(lock: LockInfo): boolean {
  if (lock.host !== hostname()) return false
  const ours = selfIdentity()
  if (lock.bootId === undefined || lock.pidNamespace === undefined || lock.startTicks === undefined || ours.bootId === undefined) return pidGone(lock)
  if (lock.bootId !== ours.bootId) return true
  if (lock.pidNamespace !== ours.pidNamespace) return exclusiveHostname()
  if (lock.pid === process.pid && lock.startTicks === ours.startTicks) return !ownTokens.has(lock.lockId)
  const started = processStartTime(lock.pid)
  // unreadable though there: a process we cannot see into (hidepid) is not judged gone
  if (started === null) return !isAlive(lock.pid)
  return started !== lock.startTicks
}

/** The rule by pid alone (no /proc, or a lock that does not say more). */
function pidGone(lock: LockInfo): boolean {
  if (lock.pid === process.pid) return !ownTokens.has(lock.lockId)
  return !isAlive(lock.pid)
}

/** Whether the process that made a claim is certainly gone (claims are only made on the lock's host). */
export function claimantGone(pid: number, claimId: string): boolean {
  if (pid === process.pid) return !ownClaims.has(claimId)
  return !isAlive(pid)
}
