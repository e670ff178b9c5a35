import {join, relative, resolve} from 'node:path'

import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {UsageError, ioError} from '../errors.js'
import {realDisk, type Disk} from '../store/disk.js'
import {appendJournal, readJournalLines, refusedLines, transactions} from '../store/journal.js'
import {acquireLock} from '../store/lock.js'
import {readState} from '../store/state.js'
import {makeRealFolder} from '../store/wicker-folder.js'
import {canonTarget} from '../transaction/record-check.js'
import {recover, unfinished} from '../transaction/recover.js'
import {hashOfCanon, newTxId, type TxContext} from '../transaction/transaction.js'
import {txContext} from './run.js'

export interface RunRecoverOptions extends OpenCourseOptions {
  /** give up this interrupted transaction (or journal line, `line-N`) instead of finishing it */
  abandon?: string | null
  /** staging folders outside the course an interrupted merge read (--staging): its files there are moved */
  staging?: string[]
  disk?: Disk
}

export interface RecoverResult {
  outcome: 'none' | 'finished' | 'rolled-back' | 'abandoned'
  tx: string | null
  notes: string[]
  /** abandon: the copy of canon as it was left */
  backup: string | null
  canon: {sha256: string | null}
}

/**
 * `wicker recover`: finish or roll back an interrupted transaction, or, with `abandon`, record that
 * the user gives it up: canon and staging stay exactly as they are, and a copy of the current canon
 * goes to .wicker/backups first, so nothing the abandoned record knew about is lost.
 */
export async function runRecover(options: RunRecoverOptions): Promise<{result: RecoverResult; warnings: string[]}> {
  const {course, warnings} = await openCourse({...options, canon: false})
  const disk = options.disk ?? realDisk
  const ctx = txContext(course, disk)
  const lock = await acquireLock(disk, ctx.paths, options.abandon ? `wicker recover --abandon ${options.abandon}` : 'wicker recover')
  warnings.push(...lock.notes)
  try {
    if (options.abandon) return {result: await abandon(ctx, options.abandon), warnings}
    const {notes, tx, outcome} = await recover(ctx, {stagingRoots: (options.staging ?? []).map((d) => resolve(options.cwd, d))})
    return {result: {outcome, tx, notes, backup: null, canon: {sha256: await hashOfCanon(ctx)}}, warnings}
  } finally {
    await lock.release().catch(() => undefined)
  }
}

async function abandon(ctx: TxContext, id: string): Promise<RecoverResult> {
  const journal = await readJournalLines(ctx.disk, ctx.paths)
  const refused = refusedLines(journal)
  const open = unfinished(transactions(journal.entries))
  const line = refused.find((b) => b.id === id)?.line ?? (open?.begin.tx === id ? open.line : null)
  if (line === null) {
    const choices = [...(open ? [open.begin.tx] : []), ...refused.map((b) => b.id)]
    throw new UsageError({
      code: 'E_NO_TX',
      message: `${JSON.stringify(id.slice(0, 80))} is not an interrupted transaction or a refused journal line of this course.`,
      hint: choices.length > 0 ? `It can abandon: ${choices.join(', ')}.` : 'Nothing needs abandoning; `wicker recover` without --abandon says what state the course is in.',
    })
  }
  // Canon as it is now, copied byte for byte (never linked: the next merge replaces this file).
  const {target} = await canonTarget(ctx)
  const bytes = ctx.disk.exists(target) ? await ctx.disk.readFile(target) : null
  const sha = bytes ? (await import('../hash.js')).sha256Hex(bytes) : null
  let backup: string | null = null
  if (bytes && sha) {
    const state = await readState(ctx.disk, ctx.paths)
    backup = join(ctx.paths.backups, `${String(state?.generation ?? 0).padStart(6, '0')}-${newTxId('abandon')}-${sha.slice(0, 8)}.json`)
    try {
      // a real folder all the way from the course: a symlinked .wicker or backups/ is refused (E_UNSAFE_PATH)
      await makeRealFolder(ctx.courseDir, ctx.paths.backups, ctx.disk)
      await ctx.disk.writeFile(backup, bytes, {exclusive: true})
      await ctx.disk.syncDir(ctx.paths.backups)
    } catch (error) {
      throw ioError(error, backup, 'back up canon to')
    }
  }
  await appendJournal(ctx.disk, ctx.paths, {type: 'abandon', tx: id, at: new Date().toISOString(), recordLine: line, canon: sha, backup: backup && relative(ctx.courseDir, backup)})
  return {
    outcome: 'abandoned',
    tx: id,
    notes: [`${id} is recorded as abandoned (journal line ${line}); canon and staging were left as they are`],
    backup: backup && relative(ctx.courseDir, backup),
    canon: {sha256: sha},
  }
}
