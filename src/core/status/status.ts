import {existsSync, readdirSync} from 'node:fs'
import {join, relative} from 'node:path'

import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {detect, type DetectResult} from '../detect/detect.js'
import {ledgerWarnings, readLedger, stagedAttempt} from '../launch/ledger.js'
import {stagingDirs, type ExtractSettings} from '../extract/run.js'
import {DEFAULT_POLICY, makePlan, type Plan} from '../preview/plan.js'
import {currentExtraction} from '../preview/run.js'
import {realDisk} from '../store/disk.js'
import {readJournalLines, refusedLines, transactions} from '../store/journal.js'
import {forceUnlock, heldNow, holderAlive, inspectLock, isStale, shownLockId, type LockInfo} from '../store/lock.js'
import type {LockDocument} from '../store/lock-read.js'
import {stalePath} from '../store/lock-names.js'
import {lockPlaces, type LockPlace} from '../store/lock-places.js'
import {hasToken} from '../store/lock-takeover.js'
import {folderLockPaths, runPaths, wickerPaths} from '../store/paths.js'
import {launcherFolders} from '../store/shard-folders.js'
import {readState} from '../store/state.js'
import {UsageError} from '../errors.js'
import {LOCK_ID} from '../schemas/lock.js'
import {runProgress, type RunProgress} from './run-progress.js'

export type {RunProgress, ShardProgress} from './run-progress.js'

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
  /** `--run R`: that run shard by shard, and whether every packet is done by exactly one shard */
  run: RunProgress | null
}

export interface StatusOptions extends OpenCourseOptions, ExtractSettings {
  /** show this run shard by shard */
  run?: string | null
}

export async function runStatus(options: StatusOptions): Promise<{result: StatusResult; warnings: string[]}> {
  const {course, canon, warnings} = await openCourse({...options, requireLegos: true})
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
      const packets = existsSync(files.packets) ? readdirSync(files.packets).length : 0
      // the run's own ledger and lock, and each shard's (shards/I-of-N/; a symlink there is not followed)
      const folders = (await launcherFolders(files.dir, warnings)).map((f) => runPaths(f.dir))
      let attempts = 0
      const ok = new Set<string>()
      let lastEvent: string | null = null
      let active = false
      for (const where of folders) {
        if (existsSync(where.ledger)) {
          // read-only: lines that do not check are reported, never counted
          const read = await readLedger(where.ledger)
          warnings.push(...ledgerWarnings(where.ledger, read))
          const finished = read.entries.filter((e) => e.event !== 'start')
          attempts += finished.length
          for (const e of finished) if (stagedAttempt(e)) ok.add(e.packet)
          const last = read.entries.at(-1)
          if (last && (lastEvent === null || last.at > (JSON.parse(lastEvent) as {at: string}).at)) lastEvent = JSON.stringify(last)
        }
        active ||= heldNow(await inspectLock(realDisk, folderLockPaths(course.dir, where.dir)))
      }
      runs.push({run, packets, attempts, ok: ok.size, active, lastEvent})
    }
  }
  const last = txs.at(-1)
  const run = options.run ? await runProgress(course, options.run, stagingDirs(course, options.staging, options.cwd), warnings) : null
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
      run,
    },
    warnings,
  }
}

async function shownLock(lock: LockDocument, paths: ReturnType<typeof wickerPaths>): Promise<NonNullable<StatusResult['lock']>> {
  if (lock.kind === 'bad') {
    const lockId = shownLockId(lock.lockId) ?? '(unreadable)'
    return {lockId, pid: -1, host: '?', command: '?', startedAt: '?', stale: false, problem: `${paths.lock} ${lock.problem}: if no wicker process is working on this course, delete it by hand`}
  }
  const stale = isStale(lock.info)
  if (!stale || (await hasToken(realDisk, paths, lock.info.lockId))) return {...lock.info, stale}
  return {...lock.info, stale, problem: `it has no token (an older wicker or a person wrote it), so no writer clears it: check no wicker is running, then use wicker unlock <course> --lock-id ${lock.info.lockId}`}
}

export interface UnlockResult {
  /** the lock removed, or null when there was none */
  removed: LockInfo | null
  /** the lock file it was, relative to the course (.wicker/lock, .wicker/runs/<run>/lock, .wicker/runs/<run>/shards/I-of-N/lock) */
  lock: string | null
  /** where it is kept for a person to read (`<lock>.stale-<id>`), relative to the course; null when nothing was kept */
  keptAs: string | null
}

/**
 * Removes the lock with this id, wherever a writer keeps one: the course's, a run's or a shard's
 * (store/lock-places.ts), through forceUnlock with that lock's own folder.
 */
export async function runUnlock(options: OpenCourseOptions & {lockId: string; force?: boolean}): Promise<{result: UnlockResult; warnings: string[]}> {
  const {course, warnings} = await openCourse(options)
  const found: Array<{place: LockPlace; doc: LockDocument}> = []
  for (const place of await lockPlaces(realDisk, course.dir, warnings)) {
    const doc = await inspectLock(realDisk, place.paths)
    if (doc) found.push({place, doc})
  }
  const rel = (file: string) => relative(course.dir, file)
  if (found.length === 0) {
    warnings.push('there was no lock')
    return {result: {removed: null, lock: null, keptAs: null}, warnings}
  }
  const idOf = (doc: LockDocument) => (doc.kind === 'ok' ? doc.info.lockId : doc.lockId)
  const matches = found.filter((f) => idOf(f.doc) === options.lockId)
  if (matches.length > 1) {
    throw new UsageError({
      code: 'E_LOCK_COPIES',
      message: `${matches.length} locks have the id ${options.lockId}: ${matches.map((m) => rel(m.place.paths.lock)).join(', ')}. One process holds one lock, so all but one are copies (a folder copied with its lock?).`,
      hint: 'Check that no wicker process is working on this course, then delete the copies by hand (keep the one of the folder the holder used, and unlock it).',
      details: {lockId: options.lockId, locks: matches.map((m) => rel(m.place.paths.lock))},
    })
  }
  const match = matches[0]
  if (!match) {
    // only locks wicker cannot read: forceUnlock says what is wrong with the first (E_LOCK_INVALID)
    if (found.every((f) => f.doc.kind === 'bad')) await forceUnlock(realDisk, found[0]!.place.paths, options.lockId, {force: options.force})
    throw wrongLockId(options.lockId, found.map((f) => ({lock: rel(f.place.paths.lock), what: f.place.what, doc: f.doc})))
  }
  const {paths} = match.place
  const removed = await forceUnlock(realDisk, paths, options.lockId, {force: options.force})
  if (!removed) {
    // released (or cleared) between the look and the removal
    warnings.push(`the lock ${rel(paths.lock)} was released meanwhile`)
    return {result: {removed: null, lock: null, keptAs: null}, warnings}
  }
  if (holderAlive(removed)) warnings.push(`removed the lock of ${removed.command}, pid ${removed.pid} on this host, which is still running (--force): it may still write this course`)
  const aside = LOCK_ID.test(removed.lockId) ? stalePath(paths, removed.lockId) : null
  return {result: {removed, lock: rel(paths.lock), keptAs: aside && realDisk.exists(aside) ? rel(aside) : null}, warnings}
}

/** No lock has the id given: the ones there are, and where, so that the right one can be passed. */
function wrongLockId(lockId: string, locks: Array<{lock: string; what: string; doc: LockDocument}>): UsageError {
  const listed = locks.map(({lock, what, doc}) => {
    if (doc.kind === 'ok') return {lock, what, lockId: doc.info.lockId, command: doc.info.command, pid: doc.info.pid, host: doc.info.host}
    return {lock, what, lockId: shownLockId(doc.lockId), command: null, pid: null, host: null, problem: doc.problem}
  })
  const line = (l: (typeof listed)[number]) =>
    l.command === null ? `${l.lockId ?? '(no id)'} at ${l.lock} (${l.what}; a lock wicker cannot read: delete it by hand)` : `${l.lockId} at ${l.lock} (${l.what}: ${l.command}, pid ${l.pid} on ${l.host})`
  const shown = listed.slice(0, 10).map(line)
  if (listed.length > 10) shown.push(`and ${listed.length - 10} more`)
  return new UsageError({
    code: 'E_LOCK_ID',
    message: `no lock of this course has the id ${lockId}; ${listed.length === 1 ? 'the lock there is' : `the ${listed.length} locks there are`}: ${shown.join('; ')}.`,
    hint: 'Pass the id of the lock to remove (the "lock held" message names it). Make sure its process is really gone first.',
    details: {lockId, locks: listed},
  })
}
