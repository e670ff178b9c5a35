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

/**
 * The live processes of this machine, as /proc shows them: one readdir and one small stat read each.
 * Several attempts stopping at once (Ctrl-C with 8 running) share a scan taken in the last few ms,
 * instead of each reading all of /proc every poll. Environments are read lazily, within one scan only:
 * a forked child shows its parent's environment until it execs.
 */
interface Scan {
  at: number
  procs: Array<{pid: number; pgrp: number; startTime: number}>
  environ: Map<number, Buffer | null>
}
const SCAN_MAX_AGE_MS = 15
let last: Scan | null = null

function scan(): Scan {
  if (last !== null && Date.now() - last.at < SCAN_MAX_AGE_MS) return last
  const procs: Scan['procs'] = []
  let names: string[] = []
  try {
    names = readdirSync('/proc')
  } catch {
    // no /proc to read: nothing found
  }
  for (const name of names) {
    const pid = Number(name)
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) continue
    const stat = processStat(pid)
    // gone since the readdir, or dead and only waiting to be reaped: nothing to stop
    if (stat === null || stat.state === 'Z' || stat.state === 'X') continue
    procs.push({pid, pgrp: stat.pgrp, startTime: stat.startTime})
  }
  last = {at: Date.now(), procs, environ: new Map()}
  return last
}

function environOf(s: Scan, pid: number): Buffer | null {
  if (!s.environ.has(pid)) {
    let environ: Buffer | null = null
    try {
      environ = readFileSync(`/proc/${pid}/environ`)
    } catch {
      // gone, or another user's: not ours
    }
    s.environ.set(pid, environ)
  }
  return s.environ.get(pid)!
}

/** Live (not zombie) processes of the tree now, by group and by marker, from a fresh look at /proc. */
export function treePids(key: TreeKey): number[] {
  return find(key, true).pids
}

/** The tree's processes, and whether any of them is in its group; `fresh`: not from a shared scan. */
function find(key: TreeKey, fresh: boolean): {pids: number[]; inGroup: boolean} {
  if (!hasProc()) {
    const alive = key.pgid !== null && groupAlive(key.pgid)
    return {pids: alive ? [key.pgid!] : [], inGroup: alive}
  }
  if (fresh) last = null
  const needle = markerBytes(key.attemptId)
  const s = scan()
  const pids: number[] = []
  let inGroup = false
  // Linux gives no new process a pid still in use as a group id; once the group is empty, it may. A
  // process at the agent's pid that started at another time leads someone else's group: not ours.
  const leader = key.pgid === null ? undefined : s.procs.find((p) => p.pid === key.pgid)
  const group = key.pgid !== null && !(leader !== undefined && key.since !== null && leader.startTime !== key.since) ? key.pgid : null
  for (const p of s.procs) {
    if (group !== null && p.pgrp === group) {
      pids.push(p.pid)
      inGroup = true
    } else if ((key.since === null || p.startTime >= key.since) && hasNeedle(environOf(s, p.pid), needle)) pids.push(p.pid)
  }
  return {pids, inGroup}
}

const markerBytes = (attemptId: string) => Buffer.from(`\0${MARKER}=${attemptId}\0`)

/** Whether an environment (NUL-separated entries; the first has no NUL before it) holds the entry. */
function hasNeedle(environ: Buffer | null, needle: Buffer): boolean {
  if (environ === null) return false
  return environ.indexOf(needle) >= 0 || environ.subarray(0, needle.length - 1).equals(needle.subarray(1))
}

/** Whether process `pid` was started with marker `attemptId`; a process we may not read (another user's) was not. */
export function carriesMarker(pid: number, attemptId: string): boolean {
  let environ: Buffer | null = null
  try {
    environ = readFileSync(`/proc/${pid}/environ`)
  } catch {
    // gone, or not ours
  }
  return hasNeedle(environ, markerBytes(attemptId))
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
 * Signals every process of the tree found at once. The group gets one kill(-pgid), which also reaches a
 * member forked after the scan; it is sent only while the scan saw a member, because a group id cannot
 * be reused while any member lives, but the agent's pid can be once its group is empty.
 */
function signalAll(key: TreeKey, found: {pids: number[]; inGroup: boolean}, signal: NodeJS.Signals): void {
  if (key.pgid !== null && found.inGroup) send(-key.pgid, signal)
  for (const pid of found.pids) send(pid, signal)
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
  let found = find(key, true)
  if (found.pids.length === 0) return []
  const poll = options.pollMs ?? 30
  const killAt = Date.now() + Math.max(0, graceMs)
  let killing = graceMs <= 0 || (options.hurry?.aborted ?? false)
  for (const pid of found.pids) seen.add(pid)
  signalAll(key, found, killing ? 'SIGKILL' : 'SIGTERM')
  let giveUpAt = killing ? Date.now() + 5000 : Infinity
  for (;;) {
    await sleep(poll)
    // a scan another stopping attempt took in the last few ms will do: it was taken after our signals
    found = find(key, false)
    if (found.pids.length === 0) break
    const fresh = found.pids.filter((p) => !seen.has(p))
    for (const pid of found.pids) seen.add(pid)
    if (!killing && (Date.now() >= killAt || options.hurry?.aborted)) {
      killing = true
      giveUpAt = Date.now() + 5000
    }
    if (killing) {
      if (Date.now() >= giveUpAt) break
      signalAll(key, found, 'SIGKILL')
    } else if (fresh.length > 0) {
      signalAll(key, {pids: fresh, inGroup: false}, 'SIGTERM') // forked after the first TERM (the group had its TERM)
    }
  }
  return [...seen]
}
