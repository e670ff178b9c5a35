import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {detect, type DetectResult} from '../detect/detect.js'
import {ledgerWarnings, readLedger} from '../launch/ledger.js'
import type {ExtractSettings} from '../extract/run.js'
import {DEFAULT_POLICY, makePlan, type Plan} from '../preview/plan.js'
import {currentExtraction} from '../preview/run.js'
import {realDisk} from '../store/disk.js'
import {readJournalLines, refusedLines, transactions} from '../store/journal.js'
import {forceUnlock, holderAlive, inspectLock, isStale, type LockInfo} from '../store/lock.js'
import type {LockDocument} from '../store/lock-read.js'
import {hasToken} from '../store/lock-takeover.js'
import {runPaths, wickerPaths} from '../store/paths.js'
import {readState} from '../store/state.js'
import {requireLegos} from '../course/empty.js'

/** One screen of where a course stands. Read-only. */
export interface StatusResult {
  course: string
  coverage: number
  counts: DetectResult['counts']
  /** what staging holds, by preview class */
  staging: {files: number; candidates: number; byClass: Plan['counts']}
  canon: {sha256: string | null; baskets: number; generation: number | null; lineage: string | null}
  merges: Array<{tx: string; kind: string; at: string; added: number; updated: number; adopted: number; target: string | null}>
  /** `stale`: its holder is gone (the next writer clears it); `problem`: why wicker will not clear it by itself */
  lock: (LockInfo & {stale: boolean; problem?: string}) | null
  /** a transaction that began and did not end */
  interrupted: string | null
  /** the last transactions given up with `wicker recover --abandon` (newest first) */
  abandoned: string[]
  /** prepared runs; `active` when a launcher holds the run now */
  runs: Array<{run: string; packets: number; attempts: number; ok: number; active: boolean; lastEvent: string | null}>
}

export async function runStatus(options: OpenCourseOptions & ExtractSettings): Promise<{result: StatusResult; warnings: string[]}> {
  const {course, canon, warnings} = await openCourse(options)
  requireLegos(course)
  const paths = wickerPaths(course.dir)
  const detected = detect(course, canon)
  const {extraction} = await currentExtraction(course, options, options.cwd, warnings)
  const state = await readState(realDisk, paths, {warnings})
  const plan = makePlan({course, canon, extraction, lineage: state?.lineage ?? null, options: DEFAULT_POLICY})
  // Read-only: a journal line that does not check is reported here; the writing commands refuse it.
  const journal = await readJournalLines(realDisk, paths)
  for (const b of refusedLines(journal)) warnings.push(`${paths.journal} line ${b.line} is not a record wicker wrote (${b.reason}); writing commands refuse to run until \`wicker recover ${course.dir} --abandon ${b.id}\``)
  const txs = transactions(journal.entries)
  const lock = await inspectLock(realDisk, paths)
  const runs: StatusResult['runs'] = []
  if (existsSync(paths.runs)) {
    for (const run of readdirSync(paths.runs).sort()) {
      const files = runPaths(join(paths.runs, run))
      const ledger = files.ledger
      const packets = existsSync(files.packets) ? readdirSync(files.packets).length : 0
      let attempts = 0
      let ok = 0
      let lastEvent: string | null = null
      if (existsSync(ledger)) {
        // read-only: lines that do not check are reported, never counted
        const read = await readLedger(ledger)
        warnings.push(...ledgerWarnings(ledger, read))
        const finished = read.entries.filter((e) => e.event !== 'start')
        attempts = finished.length
        ok = new Set(finished.filter((e) => (e.event === 'end' && e.class === 'ok') || (e.event === 'interrupted' && e.staged)).map((e) => e.packet)).size
        const last = read.entries.at(-1)
        lastEvent = last ? JSON.stringify(last) : null
      }
      const holder = await inspectLock(realDisk, {...paths, root: files.dir, lock: files.lock})
      runs.push({run, packets, attempts, ok, active: holder !== null && (holder.kind === 'bad' || !isStale(holder.info)), lastEvent})
    }
  }
  const last = txs.at(-1)
  return {
    result: {
      course: course.code,
      coverage: detected.coverage,
      counts: detected.counts,
      staging: {files: extraction.counts.used, candidates: extraction.candidates.length + extraction.stagingConflicts.length, byClass: plan.counts},
      canon: {sha256: canon.sha256, baskets: canon.baskets.size, generation: state?.generation ?? null, lineage: state?.lineage ?? null},
      merges: txs
        .filter((t) => t.status === 'committed')
        .slice(-5)
        .reverse()
        .map((t) => ({tx: t.begin.tx, kind: t.begin.kind, at: t.committedAt ?? t.begin.at, ...t.begin.counts, target: t.begin.target})),
      lock: lock ? await shownLock(lock, paths) : null,
      interrupted: last?.status === 'open' ? last.begin.tx : null,
      abandoned: txs.filter((t) => t.status === 'abandoned').slice(-5).reverse().map((t) => t.begin.tx),
      runs,
    },
    warnings,
  }
}

async function shownLock(lock: LockDocument, paths: ReturnType<typeof wickerPaths>): Promise<NonNullable<StatusResult['lock']>> {
  if (lock.kind === 'bad') {
    // shown, never used in a path; escaped so it cannot drive a terminal
    const lockId = lock.lockId === null ? '(unreadable)' : JSON.stringify(lock.lockId).slice(1, -1).slice(0, 80)
    return {lockId, pid: -1, host: '?', command: '?', startedAt: '?', stale: false, problem: `${paths.lock} ${lock.problem}: if no wicker process is working on this course, delete it by hand`}
  }
  const stale = isStale(lock.info)
  if (!stale || (await hasToken(realDisk, paths, lock.info.lockId))) return {...lock.info, stale}
  return {...lock.info, stale, problem: `it has no token (an older wicker or a person wrote it), so no writer clears it: check no wicker is running, then use wicker unlock <course> --lock-id ${lock.info.lockId}`}
}

export async function runUnlock(options: OpenCourseOptions & {lockId: string; force?: boolean}): Promise<{result: {removed: LockInfo | null}; warnings: string[]}> {
  const {course, warnings} = await openCourse(options)
  const removed = await forceUnlock(realDisk, wickerPaths(course.dir), options.lockId, {force: options.force})
  if (!removed) warnings.push('there was no lock')
  else if (holderAlive(removed)) warnings.push(`removed the lock of ${removed.command}, pid ${removed.pid} on this host, which is still running (--force): it may still write this course`)
  return {result: {removed}, warnings}
}
