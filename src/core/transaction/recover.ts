import {BlockedError, WickerError} from '../errors.js'
import {appendJournal, badRecord, readJournal, transactions, type TxView} from '../store/journal.js'
import {canonTarget, checkBegin, unverifiedNote, type CheckedBegin} from './record-check.js'
import {abandonHint, finish, hashOfCanon, type TxContext} from './transaction.js'

/**
 * Finishing or rolling back an interrupted transaction from its journal record. The record is
 * untrusted (it is a file in the course): it is obeyed only once checkBegin has derived every path
 * it names, and staging files move only when their bytes hash as recorded.
 */
export interface Recovery {
  /** what was done, for the user */
  notes: string[]
  /** the transaction that was finished or rolled back */
  tx: string | null
  outcome: 'none' | 'finished' | 'rolled-back'
}

/** The last transaction, when it needs recovering. */
export function unfinished(views: TxView[]): TxView | null {
  const last = views.at(-1)
  return last && (last.status === 'open' || (last.status === 'committed' && !last.done)) ? last : null
}

/** What recovery is told by the command it runs in. */
export interface RecoverOptions {
  /** staging folders named on the command line (--staging): a record's moves there are vouched for */
  stagingRoots?: string[]
}

async function checked(ctx: TxContext, view: TxView, options: RecoverOptions): Promise<CheckedBegin> {
  const result = await checkBegin(ctx, view.begin, {trustedRoots: options.stagingRoots})
  if ('reason' in result) throw badRecord(ctx.paths, ctx.courseDir, view.line, view.begin.tx, result.reason)
  return result
}

/** Finishes or rolls back the last transaction if it was interrupted. Call with the lock held. */
export async function recover(ctx: TxContext, options: RecoverOptions = {}): Promise<Recovery> {
  const view = unfinished(transactions(await readJournal(ctx.disk, ctx.paths, ctx.courseDir)))
  if (!view) return {notes: [], tx: null, outcome: 'none'}
  const {begin} = view
  const record = await checked(ctx, view, options)
  // canon is finished or rolled back by its hashes; a move that cannot be vouched for is only not made
  const skipped = record.unverified.map((m) => unverifiedNote(ctx.courseDir, m))
  const withNotes = (note: string, more: string[]) => [note, ...[...skipped, ...more].map((m) => `${begin.tx}: ${m}`)]
  if (view.status === 'committed') {
    const {moved, notes} = await finish(ctx, begin, record.moves)
    return {tx: begin.tx, outcome: 'finished', notes: withNotes(`finished ${begin.kind} ${begin.tx}: moved ${moved.length} staging file(s) it had consumed`, notes)}
  }
  const current = await hashOfCanon(ctx)
  if (current === begin.after) {
    await appendJournal(ctx.disk, ctx.paths, {type: 'commit', tx: begin.tx, at: new Date().toISOString(), recovered: true})
    const {moved, notes} = await finish(ctx, begin, record.moves, current)
    return {tx: begin.tx, outcome: 'finished', notes: withNotes(`finished ${begin.kind} ${begin.tx}, which was interrupted after canon was written${moved.length ? ` (moved ${moved.length} staging file(s))` : ''}`, notes)}
  }
  if (current === begin.before) {
    // The temp file's name is derived from a checked tx id and canon's own (checked) location.
    const {target} = await canonTarget(ctx)
    await ctx.disk.unlink(`${target}.${begin.tx}.tmp`).catch(() => undefined)
    await appendJournal(ctx.disk, ctx.paths, {type: 'abort', tx: begin.tx, at: new Date().toISOString(), reason: 'interrupted before canon was replaced; rolled back'})
    return {tx: begin.tx, outcome: 'rolled-back', notes: [`rolled back ${begin.kind} ${begin.tx}, which was interrupted before canon was replaced (canon is as it was)`]}
  }
  throw new BlockedError({
    code: 'E_RECOVERY',
    message: `${begin.kind} ${begin.tx} was interrupted, and canon is now neither as it was before it (${begin.before?.slice(0, 12) ?? 'absent'}) nor as it was to be after (${begin.after?.slice(0, 12) ?? 'absent'}): it was changed outside wicker. Nothing was changed.`,
    hint: `${abandonHint(ctx, begin.tx)} The canon from before the transaction is at ${begin.backup ?? '(there was none)'}.`,
    details: {tx: begin.tx, backup: begin.backup, canon: current},
  })
}

/**
 * For commands that write but are not merge or restore (extract, prepare-segments, launch): finish
 * or roll back an interrupted transaction if nobody is working on the course right now.
 */
export async function recoverIfIdle(ctx: TxContext, options: RecoverOptions = {}): Promise<string[]> {
  const last = unfinished(transactions(await readJournal(ctx.disk, ctx.paths, ctx.courseDir)))
  if (!last) return []
  const {acquireLock} = await import('../store/lock.js')
  let lock
  try {
    lock = await acquireLock(ctx.disk, ctx.paths, 'wicker (recovery)')
  } catch (error) {
    // Only a lock another process holds means someone else will finish it. A lock folder or lock
    // file that is not usable, or an I/O error, is the user's to know about, not to be hidden.
    const what = `${last.begin.kind} ${last.begin.tx} is unfinished`
    if (error instanceof WickerError && error.code === 'E_LOCK_HELD') return [`${what} and another wicker process holds the lock; it will finish it`]
    // a lock left by a dead process that wicker may not clear by itself: nobody will finish it until it is removed
    if (error instanceof WickerError && error.code === 'E_LOCK_STALE') return [`${what}, and ${error.message} ${error.hint ?? ''} The next writing command then finishes it.`]
    throw error
  }
  try {
    const {notes} = await recover(ctx, options)
    return [...lock.notes, ...notes]
  } finally {
    await lock.release().catch(() => undefined)
  }
}
