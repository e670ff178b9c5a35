import {resolve} from 'node:path'

import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {BlockedError, UsageError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {realDisk, type Disk} from '../store/disk.js'
import {badRecord, readJournal, transactions} from '../store/journal.js'
import {acquireLock} from '../store/lock.js'
import {checkBegin, unverifiedNote} from '../transaction/record-check.js'
import {recover} from '../transaction/recover.js'
import {canonFileNow, newTxId, runTransaction} from '../transaction/transaction.js'
import {txContext, type CanonSide} from './run.js'

export interface RunRestoreOptions extends OpenCourseOptions {
  /** the transaction to undo; default: the last one */
  tx?: string | null
  force?: boolean
  /** move the undone merge's staging files back out of .applied/ */
  restage?: boolean
  /** staging folders outside the course the undone merge read (--staging): its files there may move back */
  staging?: string[]
  disk?: Disk
}

export interface RestoreResult {
  tx: string
  restored: string
  canon: {before: CanonSide; after: CanonSide}
  backup: string | null
  restaged: string[]
  recovered: string[]
}

/** Undoes a transaction as a new, journaled one: canon goes back to the bytes it had before it. */
export async function runRestore(options: RunRestoreOptions): Promise<{result: RestoreResult; warnings: string[]}> {
  const {course, warnings} = await openCourse({...options, canon: false})
  const disk = options.disk ?? realDisk
  const ctx = txContext(course, disk)
  const stagingRoots = (options.staging ?? []).map((d) => resolve(options.cwd, d))
  const lock = await acquireLock(disk, ctx.paths, 'wicker restore')
  warnings.push(...lock.notes)
  try {
    const {notes} = await recover(ctx, {stagingRoots})
    warnings.push(...notes)
    const committed = transactions(await readJournal(disk, ctx.paths)).filter((t) => t.status === 'committed')
    const target = options.tx ? committed.find((t) => t.begin.tx === options.tx) : committed.at(-1)
    if (!target) {
      throw new UsageError({
        code: 'E_NO_TX',
        message: options.tx ? `no committed transaction ${options.tx} in the journal.` : 'there is no transaction to undo: nothing was ever merged into this canon by wicker.',
        hint: committed.length > 0 ? `Transactions: ${committed.slice(-5).map((t) => t.begin.tx).join(', ')}.` : 'See `wicker status`.',
      })
    }
    // Only the bytes: restore rewrites nothing it parsed (the current canon becomes a backup as it is,
    // the old one comes back as it was), so a canon the strict reader refuses can still be undone.
    const file = await canonFileNow(ctx)
    const bytes = disk.exists(ctx.canonFile) ? await disk.readFile(ctx.canonFile) : null
    const current = bytes ? sha256Hex(bytes) : null
    if (current !== target.begin.after && !options.force) {
      throw new BlockedError({
        code: 'E_CANON_CHANGED',
        message: `canon changed since ${target.begin.tx} (it is ${current?.slice(0, 12) ?? 'absent'}, not ${target.begin.after?.slice(0, 12) ?? 'absent'}); restoring would lose what came after.`,
        hint: 'Undo the later transactions first, or pass --force to restore anyway (the current canon is backed up).',
      })
    }
    // The record names the backup and the files to move back: used only as checkBegin derives them.
    const record = await checkBegin(ctx, target.begin, {trustedRoots: stagingRoots})
    if ('reason' in record) throw badRecord(ctx.paths, course.dir, target.line, target.begin.tx, record.reason)
    // canon comes back whatever its staging folders; files in one that cannot be vouched for stay in .applied/
    if (options.restage) warnings.push(...record.unverified.map((m) => unverifiedNote(course.dir, {...m, from: m.to, to: m.from})))
    let previous: Buffer | null = null
    if (record.backup !== null) {
      const backup = record.backup
      if (!disk.exists(backup)) throw new BlockedError({code: 'E_NO_BACKUP', message: `the backup of ${target.begin.tx} (${target.begin.backup}) is missing.`, hint: 'It cannot be restored from wicker\'s backups.'})
      previous = await disk.readFile(backup)
      if (sha256Hex(previous) !== target.begin.before) throw new BlockedError({code: 'E_BACKUP_CORRUPT', message: `the backup ${backup} does not match the hash recorded for it.`, hint: 'The backup was changed; it cannot be trusted.'})
    }
    const moves: Array<[string, string, string]> = []
    for (const move of options.restage ? record.moves : []) {
      const [from, to] = target.begin.moves[move.index]!
      // a record from before hashes were kept: the file wicker moved to .applied/ is hashed now
      if (!disk.exists(move.to)) continue
      moves.push([to, from, move.sha256 ?? (await disk.sha256(move.to))])
    }
    const tx = newTxId('restore')
    const done = await runTransaction(ctx, tx, {kind: 'restore', planId: null, target: target.begin.tx, before: bytes, beforeFile: file, after: previous, moves, stagingRoots, counts: {added: 0, updated: 0, adopted: 0}})
    // the transaction is committed: a canon that is not JSON (restore undoes such a canon) counts as 0
    const count = (b: Buffer | null) => {
      try {
        return b ? Object.keys((JSON.parse(b.toString('utf8')) as {baskets?: object}).baskets ?? {}).length : 0
      } catch {
        return 0
      }
    }
    return {
      result: {
        tx,
        restored: target.begin.tx,
        canon: {before: {sha256: current, baskets: count(bytes)}, after: {sha256: target.begin.before, baskets: count(previous)}},
        backup: done.backup,
        restaged: done.moved,
        recovered: notes,
      },
      warnings,
    }
  } finally {
    await lock.release().catch(() => undefined)
  }
}
