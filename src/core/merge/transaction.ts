import {randomBytes} from 'node:crypto'
import {dirname, isAbsolute, join, relative, resolve} from 'node:path'

import {sha256} from '../canon/read.js'
import {BlockedError, IoError, ioError} from '../errors.js'
import type {Disk} from '../store/disk.js'
import {appendJournal, readJournal, transactions, type BeginRecord, type TxView} from '../store/journal.js'
import type {WickerPaths} from '../store/paths.js'
import {nextState, readState, writeState} from '../store/state.js'

/**
 * The write protocol of DESIGN.md §6.5, for merge and restore alike. Canon changes only by the
 * rename of a fully written, fsynced temp file, after an fsynced backup and a journal `begin`; a
 * crash at any step leaves canon either exactly as before or exactly as planned, and `recover`
 * finishes or rolls back what the journal says was under way.
 */
export interface TxContext {
  disk: Disk
  paths: WickerPaths
  courseDir: string
  canonFile: string
}

export interface TxSpec {
  kind: BeginRecord['kind']
  planId: string | null
  target: string | null
  /** canon as it is (null: no canon file) */
  before: Buffer | null
  /** canon as it will be (null: no canon file) */
  after: Buffer | null
  /** their hashes, when the caller has them already (a 100 MB canon is worth not hashing twice) */
  beforeSha?: string | null
  afterSha?: string | null
  /** staging moves [from, to], relative to the course folder */
  moves: Array<[string, string]>
  counts: BeginRecord['counts']
}

export function newTxId(kind: string, now = new Date()): string {
  return `${kind}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`
}

const abs = (ctx: TxContext, p: string) => (isAbsolute(p) ? p : resolve(ctx.courseDir, p))

async function hashOfCanon(ctx: TxContext): Promise<string | null> {
  return ctx.disk.exists(ctx.canonFile) ? ctx.disk.sha256(ctx.canonFile) : null
}

/** Moves staging files, never over an existing file; files already moved (or gone) are left. */
async function moveFiles(ctx: TxContext, moves: Array<[string, string]>): Promise<string[]> {
  const moved: string[] = []
  for (const [from, to] of moves) {
    const source = abs(ctx, from)
    const target = abs(ctx, to)
    if (!ctx.disk.exists(source) || ctx.disk.exists(target)) continue
    await ctx.disk.mkdir(dirname(target))
    await ctx.disk.rename(source, target)
    moved.push(to)
  }
  return moved
}

async function finish(ctx: TxContext, begin: BeginRecord, recovered: boolean): Promise<string[]> {
  const state = await readState(ctx.disk, ctx.paths)
  if (state?.lastTx !== begin.tx) await writeState(ctx.disk, ctx.paths, nextState(state, begin.after, begin.tx))
  const moved = await moveFiles(ctx, begin.moves)
  await appendJournal(ctx.disk, ctx.paths, {type: 'done', tx: begin.tx, at: new Date().toISOString()})
  void recovered
  return moved
}

export interface TxResult {
  tx: string
  backup: string | null
  moved: string[]
}

export async function runTransaction(ctx: TxContext, tx: string, spec: TxSpec): Promise<TxResult> {
  const {disk, paths} = ctx
  const state = await readState(disk, paths)
  const beforeSha = spec.beforeSha !== undefined ? spec.beforeSha : spec.before ? sha256(spec.before) : null
  const afterSha = spec.afterSha !== undefined ? spec.afterSha : spec.after ? sha256(spec.after) : null
  const backup = spec.before ? join(paths.backups, `${String((state?.generation ?? 0) + 1).padStart(6, '0')}-${tx}-${beforeSha!.slice(0, 8)}.json`) : null
  const begin: BeginRecord = {
    type: 'begin',
    tx,
    kind: spec.kind,
    at: new Date().toISOString(),
    planId: spec.planId,
    target: spec.target,
    before: beforeSha,
    after: afterSha,
    backup: backup ? relative(ctx.courseDir, backup) : null,
    moves: spec.moves,
    counts: spec.counts,
  }
  await appendJournal(disk, paths, begin)

  const temp = `${ctx.canonFile}.${tx}.tmp`
  let replaced = false
  try {
    if (backup) {
      await disk.mkdir(paths.backups)
      // Canon is only ever replaced by rename, never written in place: a hard link to the current file
      // is a backup that no later write can touch, without copying a 100 MB canon. Where links are not
      // possible (another file system), the bytes are copied.
      const linked = await disk.link(ctx.canonFile, backup).then(
        () => true,
        () => false,
      )
      if (!linked) await disk.writeFile(backup, spec.before!, {exclusive: true})
      await disk.syncDir(paths.backups)
    }
    if (spec.after) {
      await disk.writeFile(temp, spec.after, {exclusive: true})
      await disk.rename(temp, ctx.canonFile)
    } else if (disk.exists(ctx.canonFile)) {
      // Restoring "no canon": the backup above holds it.
      await disk.unlink(ctx.canonFile)
    }
    replaced = true
    await disk.syncDir(ctx.courseDir)
  } catch (error) {
    if (!replaced) {
      await disk.unlink(temp).catch(() => undefined)
      await appendJournal(disk, paths, {type: 'abort', tx, at: new Date().toISOString(), reason: (error as Error).message}).catch(() => undefined)
    }
    throw ioError(error, ctx.canonFile, replaced ? 'finish writing' : 'write')
  }

  const written = await hashOfCanon(ctx)
  if (written !== afterSha) {
    // What is on disk is not what was written: put the backup back.
    if (spec.before) {
      await disk.writeFile(temp, spec.before, {exclusive: false})
      await disk.rename(temp, ctx.canonFile)
    }
    await appendJournal(disk, paths, {type: 'abort', tx, at: new Date().toISOString(), reason: `read-back hash ${written} is not ${afterSha}; canon restored from ${backup}`})
    throw new IoError({code: 'E_IO_VERIFY', message: `canon read back differently from what was written (${ctx.canonFile}); it was restored from the backup.`, hint: 'Check the disk (space, errors) and run the command again.', details: {backup}})
  }
  await appendJournal(disk, paths, {type: 'commit', tx, at: new Date().toISOString()})
  const moved = await finish(ctx, begin, false)
  return {tx, backup: begin.backup, moved}
}

export interface Recovery {
  /** what was done, for the user */
  notes: string[]
}

/** Finishes or rolls back the last transaction if it was interrupted. Call with the lock held. */
export async function recover(ctx: TxContext): Promise<Recovery> {
  const notes: string[] = []
  const views = transactions(await readJournal(ctx.disk, ctx.paths))
  const last: TxView | undefined = views.at(-1)
  if (!last) return {notes}
  const {begin} = last
  if (last.status === 'open') {
    const current = await hashOfCanon(ctx)
    if (current === begin.after) {
      await appendJournal(ctx.disk, ctx.paths, {type: 'commit', tx: begin.tx, at: new Date().toISOString(), recovered: true})
      const moved = await finish(ctx, begin, true)
      notes.push(`finished ${begin.kind} ${begin.tx}, which was interrupted after canon was written${moved.length ? ` (moved ${moved.length} staging file(s))` : ''}`)
    } else if (current === begin.before) {
      await ctx.disk.unlink(`${ctx.canonFile}.${begin.tx}.tmp`).catch(() => undefined)
      await appendJournal(ctx.disk, ctx.paths, {type: 'abort', tx: begin.tx, at: new Date().toISOString(), reason: 'interrupted before canon was replaced; rolled back'})
      notes.push(`rolled back ${begin.kind} ${begin.tx}, which was interrupted before canon was replaced (canon is as it was)`)
    } else {
      throw new BlockedError({
        code: 'E_RECOVERY',
        message: `${begin.kind} ${begin.tx} was interrupted, and canon is now neither as it was before it (${begin.before?.slice(0, 12) ?? 'absent'}) nor as it was to be after (${begin.after?.slice(0, 12) ?? 'absent'}): it was changed outside wicker.`,
        hint: `Inspect ${ctx.canonFile}. The canon from before the transaction is at ${begin.backup ?? '(there was none)'}.`,
        details: {tx: begin.tx, backup: begin.backup},
      })
    }
  } else if (last.status === 'committed' && !last.done) {
    const moved = await finish(ctx, begin, true)
    notes.push(`finished ${begin.kind} ${begin.tx}: moved ${moved.length} staging file(s) it had consumed`)
  }
  return {notes}
}

/** Where a consumed staging file goes: <staging>/.applied/<tx>/<its path inside staging>. */
export function appliedPath(file: string, stagingDir: string, tx: string): string {
  const inside = relative(stagingDir, file)
  return join(stagingDir, '.applied', tx, inside)
}

/**
 * For commands that write but are not merge or restore (extract, prepare-segments, launch): finish
 * or roll back an interrupted transaction if nobody is working on the course right now.
 */
export async function recoverIfIdle(ctx: TxContext): Promise<string[]> {
  const last = transactions(await readJournal(ctx.disk, ctx.paths)).at(-1)
  if (!last || (last.status !== 'open' && !(last.status === 'committed' && !last.done))) return []
  const {acquireLock} = await import('../store/lock.js')
  let lock
  try {
    lock = await acquireLock(ctx.disk, ctx.paths, 'wicker (recovery)')
  } catch {
    return [`${last.begin.kind} ${last.begin.tx} is unfinished and another wicker process holds the lock; it will finish it`]
  }
  try {
    const {notes} = await recover(ctx)
    return [...lock.notes, ...notes]
  } finally {
    await lock.release().catch(() => undefined)
  }
}
