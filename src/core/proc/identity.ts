import {readFileSync, readlinkSync} from 'node:fs'

/**
 * Who a process is, beyond its pid, from Linux's /proc. A pid alone does not name a process: it is
 * reused once its process is gone, it means another process in another pid namespace (a container
 * run with `--network host` shares the host name but not the pids), and it means nothing after a
 * reboot. Boot id + pid namespace + pid + start time does. Each function returns null where /proc
 * is not there (macOS, Windows) or cannot be read; callers then fall back to the pid alone.
 */

const once = <T>(read: () => T): (() => T) => {
  let done = false
  let value: T
  return () => {
    if (!done) {
      value = read()
      done = true
    }
    return value
  }
}

const orNull = <T>(read: () => T): T | null => {
  try {
    return read()
  } catch {
    return null
  }
}

/** This boot of this machine (/proc/sys/kernel/random/boot_id): a new one after every reboot. */
export const bootId = once((): string | null => orNull(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()) || null)

/** This process's pid namespace, e.g. `pid:[4026531836]`: pids mean the same process only within one. */
export const pidNamespace = once((): string | null => orNull(() => readlinkSync('/proc/self/ns/pid')) || null)

/**
 * When process `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat); null when
 * there is no such process here (or no /proc). Field 2 is the command name in parentheses, and it
 * may itself hold spaces and parentheses (a program can name itself `a) b (c`), so fields are
 * counted from after the LAST `)`: there, field 3 comes first and field 22 is the 20th.
 */
export function processStartTime(pid: number): number | null {
  return processStat(pid)?.startTime ?? null
}

/** Field 22 of a /proc/<pid>/stat line; null when the line is not one. */
export function parseStartTime(stat: string): number | null {
  const fields = statFields(stat)
  return fields === null ? null : startTimeOf(fields)
}

/** The fields of a stat line from field 3 on (after the last `)`); null when it has none. */
function statFields(stat: string): string[] | null {
  const close = stat.lastIndexOf(')')
  return close < 0 ? null : stat.slice(close + 1).trim().split(/\s+/)
}

function startTimeOf(fields: readonly string[]): number | null {
  const ticks = fields[22 - 3]
  if (ticks === undefined || !/^\d{1,20}$/.test(ticks)) return null
  const value = Number(ticks)
  return Number.isSafeInteger(value) ? value : null
}

/** What /proc/<pid>/stat says of a process that tree tracking needs: run state, group, start time. */
export interface ProcStat {
  /** R, S, D, Z (zombie: already dead, waiting to be reaped), X (dead)… */
  state: string
  pgrp: number
  startTime: number
}

/** Fields 3, 5 and 22 of a /proc/<pid>/stat line, counted after the last `)` as above; null when it is not one. */
export function parseStat(stat: string): ProcStat | null {
  const fields = statFields(stat)
  if (fields === null) return null
  const state = fields[0]
  const pgrp = Number(fields[5 - 3])
  const startTime = startTimeOf(fields)
  if (state === undefined || !Number.isSafeInteger(pgrp) || startTime === null) return null
  return {state, pgrp, startTime}
}

/** The stat of process `pid`, or null when there is none here (gone, no /proc). */
export function processStat(pid: number): ProcStat | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null
  const stat = orNull(() => readFileSync(`/proc/${pid}/stat`, 'utf8'))
  return stat === null ? null : parseStat(stat)
}

/** Whether this machine has a Linux /proc to find processes in (not macOS, not Windows). */
export const hasProc = once((): boolean => processStat(process.pid) !== null)

/** Whether a process with this pid exists here (a zombie too; EPERM: it exists, it is someone else's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
