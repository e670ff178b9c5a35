import {relative} from 'node:path'

import type {Canon} from '../canon/model.js'
import {readCanon} from '../canon/read.js'
import type {Course} from '../course/model.js'
import {detect} from '../detect/detect.js'
import {InputError} from '../errors.js'
import type {ReportHistory} from '../schemas/report.js'
import {realDisk} from '../store/disk.js'
import {readJournalLines, refusedLines, transactions, type TxView} from '../store/journal.js'
import {wickerPaths} from '../store/paths.js'
import {checkBegin} from '../transaction/record-check.js'

export type Coverage = NonNullable<ReportHistory['coverage']>

/** The journal's transactions with the coverage just after each one (null when unknown). Pure. */
export function historyEntries(txs: readonly TxView[], coverage: ReadonlyMap<string, Coverage>): ReportHistory[] {
  return txs.map((t) => ({
    tx: t.begin.tx,
    kind: t.begin.kind,
    status: t.status,
    at: t.begin.at,
    committedAt: t.committedAt,
    ...t.begin.counts,
    backup: t.begin.backup,
    target: t.begin.target,
    coverage: coverage.get(t.begin.tx) ?? null,
  }))
}

export const coverageOf = (course: Course, canon: Canon): Coverage => {
  const {counts, coverage} = detect(course, canon)
  return {present: counts.present, needed: counts.needed, coverage}
}

/**
 * The journal (read-only: lines that do not check are reported) and coverage over time. The canon
 * just after a committed transaction has the hash its record calls `after`: it is the current canon,
 * or the backup the next transaction made of it (named `before` there). Those bytes are read, their
 * hash checked, and detect counts them (`current`: detect's coverage of the current canon); at most `limit` backups are read (the latest transactions
 * first), so a long history stays quick. A transaction whose canon is gone has no coverage.
 */
export async function readHistory(course: Course, canon: Canon, current: Coverage, warnings: string[], limit: number): Promise<ReportHistory[]> {
  const paths = wickerPaths(course.dir)
  const journal = await readJournalLines(realDisk, paths)
  for (const b of refusedLines(journal)) warnings.push(`${paths.journal} line ${b.line} is not a record wicker wrote (${b.reason}): not shown`)
  const txs = transactions(journal.entries)
  const backupOf = new Map<string, TxView>()
  for (const t of txs) if (t.begin.before !== null && t.begin.backup !== null && !backupOf.has(t.begin.before)) backupOf.set(t.begin.before, t)
  const bySha = new Map<string, Coverage | null>()
  if (canon.sha256 !== null) bySha.set(canon.sha256, current)
  const coverage = new Map<string, Coverage>()
  let read = 0
  for (const t of [...txs].reverse()) {
    if (t.status !== 'committed') continue
    const after = t.begin.after
    if (after === null) {
      coverage.set(t.begin.tx, {present: 0, needed: course.legos.filter((l) => l.isNew).length, coverage: course.legos.some((l) => l.isNew) ? 0 : 1})
      continue
    }
    if (!bySha.has(after)) {
      const source = backupOf.get(after)
      if (!source || read >= limit) continue
      read++
      bySha.set(after, await backupCoverage(course, source, warnings))
    }
    const found = bySha.get(after)
    if (found) coverage.set(t.begin.tx, found)
  }
  return historyEntries(txs, coverage)
}

/** detect's coverage of a backup, when the record's backup path is the one wicker makes and its bytes have the recorded hash. */
async function backupCoverage(course: Course, t: TxView, warnings: string[]): Promise<Coverage | null> {
  const paths = wickerPaths(course.dir)
  const checked = await checkBegin({disk: realDisk, paths, courseDir: course.dir}, t.begin)
  if ('reason' in checked || checked.backup === null || !realDisk.exists(checked.backup)) return null
  try {
    const backup = await readCanon(checked.backup)
    if (backup.sha256 !== t.begin.before) {
      warnings.push(`${relative(course.dir, checked.backup)} does not have the hash recorded for it: its coverage is not shown`)
      return null
    }
    return coverageOf(course, backup)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    warnings.push(`${relative(course.dir, checked.backup)}: ${error.message}`)
    return null
  }
}
