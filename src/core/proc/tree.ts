import {readdirSync, readFileSync} from 'node:fs'

import {hasProc, processStat} from './identity.js'

/**
 * An attempt's processes: the agent, everything in its process group, and every process that carries
 * the attempt's marker in its environment. A process group alone is not enough: an agent CLI that
 * daemonises a helper (`setsid`, a double fork, `nohup … &`) moves it out of the group, but the helper
 * keeps the environment it was started with, so `WICKER_ATTEMPT_ID=<id>` in /proc/<pid>/environ finds it.
 * What escapes both (a helper exec'd with an emptied environment in a new session) is not found.
 *
 * Linux only: elsewhere there is no /proc, and a tree is its process group (kill(-pgid)).
 */
export const MARKER = 'WICKER_ATTEMPT_ID'

export interface TreeKey {
  /** the agent's pid, which leads its own process group (it is started detached); null when it never ran */
  pgid: number | null
  attemptId: string
  /** the agent's start time in clock ticks: a descendant cannot have started before it, so older
   *  processes are not read (keeps a scan cheap on a busy machine) */
  since: number | null
}

/** Live (not zombie) processes of the tree now, by group and by marker. */
export function treePids(key: TreeKey): number[] {
  if (!hasProc()) return key.pgid !== null && groupAlive(key.pgid) ? [key.pgid] : []
  const needle = Buffer.from(`\0${MARKER}=${key.attemptId}\0`)
  const out: number[] = []
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return []
  }
  for (const name of names) {
    const pid = Number(name)
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) continue
    const stat = processStat(pid)
    // gone since the readdir, or dead and only waiting to be reaped: nothing to stop
    if (stat === null || stat.state === 'Z' || stat.state === 'X') continue
    if (key.pgid !== null && stat.pgrp === key.pgid) {
      out.push(pid)
      continue
    }
    if (key.since !== null && stat.startTime < key.since) continue
    if (hasMarker(pid, needle)) out.push(pid)
  }
  return out
}

/** Whether process `pid` was started with the marker; a process we may not read (another user's) has not. */
function hasMarker(pid: number, needle: Buffer): boolean {
  let environ: Buffer
  try {
    environ = readFileSync(`/proc/${pid}/environ`)
  } catch {
    return false
  }
  // entries are NUL-separated: the first has no NUL before it
  return environ.indexOf(needle) >= 0 || environ.subarray(0, needle.length - 1).equals(needle.subarray(1))
}

/** Whether process `pid` runs, and carries marker `attemptId`. */
export function carriesMarker(pid: number, attemptId: string): boolean {
  return hasMarker(pid, Buffer.from(`\0${MARKER}=${attemptId}\0`))
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // gone meanwhile, or not ours to signal
  }
}

/**
 * Signals every process of the tree found in `pids` at once. The group gets one kill(-pgid), which also
 * reaches a member forked after the scan; it is sent only while the scan saw a member, because a group
 * id cannot be reused while any member lives, but the agent's pid can be once its group is empty.
 */
function signalAll(key: TreeKey, pids: number[], signal: NodeJS.Signals): void {
  const group = key.pgid
  if (group !== null && (!hasProc() || pids.includes(group) || pids.some((p) => processStat(p)?.pgrp === group))) send(-group, signal)
  for (const pid of pids) send(pid, signal)
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export interface StopOptions {
  /** aborted: do not wait out the rest of the grace, KILL now */
  hurry?: AbortSignal
  /** how often to look again (ms) */
  pollMs?: number
}

/**
 * Stops the whole tree: TERM to all of it at once, KILL after `graceMs` to whatever remains, and again
 * until a scan finds none (a process may fork while it is being killed). Returns the distinct pids it
 * found. Gives up (returns) if processes still show 5 s after the KILL: a process in uninterruptible
 * sleep (D) dies when its I/O ends, and nothing a launcher does makes that sooner.
 */
export async function stopTree(key: TreeKey, graceMs: number, options: StopOptions = {}): Promise<number[]> {
  const seen = new Set<number>()
  let pids = treePids(key)
  if (pids.length === 0) return []
  const poll = options.pollMs ?? 25
  const killAt = Date.now() + Math.max(0, graceMs)
  let killing = graceMs <= 0 || (options.hurry?.aborted ?? false)
  for (const pid of pids) seen.add(pid)
  signalAll(key, pids, killing ? 'SIGKILL' : 'SIGTERM')
  let giveUpAt = killing ? Date.now() + 5000 : Infinity
  for (;;) {
    await sleep(poll)
    pids = treePids(key)
    if (pids.length === 0) break
    const fresh = pids.filter((p) => !seen.has(p))
    for (const pid of pids) seen.add(pid)
    if (!killing && (Date.now() >= killAt || options.hurry?.aborted)) {
      killing = true
      giveUpAt = Date.now() + 5000
    }
    if (killing) {
      if (Date.now() >= giveUpAt) break
      signalAll(key, pids, 'SIGKILL')
    } else if (fresh.length > 0) {
      signalAll(key, fresh, 'SIGTERM') // forked after the first TERM
    }
  }
  return [...seen]
}
