import {randomBytes} from 'node:crypto'
import {dirname, join, relative} from 'node:path'

import {BlockedError, IoError, WickerError, ioError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {sameFile, type Disk, type FileInfo} from '../store/disk.js'
import {appendJournal, type BeginRecord} from '../store/journal.js'
import type {WickerPaths} from '../store/paths.js'
import {nextState, readState, writeState} from '../store/state.js'
import {makeRealFolder} from '../store/wicker-folder.js'
import {betweenSteps} from './step-delay.js'
import {canonTarget, checkBegin, type CheckedMove} from './record-check.js'
import {remembering} from './remembering.js'

export {appliedPath} from './record-check.js'

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
  /**
   * canon's file as it was when `before` was read (see canonFileNow): checked again just before the
   * rename, so an edit made meanwhile outside wicker is never overwritten
   */
  beforeFile?: FileInfo | null
  /** staging moves [from, to, sha256 of the file], relative to the course folder */
  moves: Array<[string, string, string]>
  /** staging folders the user named (flags), which may lie outside the course */
  stagingRoots?: string[]
  counts: BeginRecord['counts']
}

export function newTxId(kind: string, now = new Date()): string {
  return `${kind}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`
}

/** Canon's file now (through a symlink), to compare with before the rename. Take it before reading canon. */
export function canonFileNow(ctx: TxContext): Promise<FileInfo | null> {
  return ctx.disk.stat(ctx.canonFile)
}

export async function hashOfCanon(ctx: TxContext): Promise<string | null> {
  return ctx.disk.exists(ctx.canonFile) ? ctx.disk.sha256(ctx.canonFile) : null
}

/**
 * Moves staging files, never over an existing file, and only a regular file whose bytes are the
 * ones recorded: a file that changed since it was read holds baskets the merge did not see, and
 * stays in staging. Files already moved (or gone) are left. The move is a hard link then an
 * unlink: link fails when the target exists, where a rename would silently replace a file that
 * appeared after any check; where links are impossible (another file system), nothing moves.
 */
/** link() errors that mean the file system has no hard links, not that something went wrong */
const NO_LINKS = new Set(['EPERM', 'EXDEV', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])

async function moveFiles(ctx: TxContext, moves: CheckedMove[]): Promise<{moved: string[]; notes: string[]}> {
  const moved: string[] = []
  const notes: string[] = []
  for (const {from, to, sha256: expected} of moves) {
    const what = relative(ctx.courseDir, from)
    const file = await ctx.disk.lstat(from)
    if (file === null) continue
    if (file.kind !== 'file') notes.push(`${what} was not moved: it is not a regular file`)
    else if (expected === null) notes.push(`${what} was not moved: the journal record does not say its hash (an older wicker wrote it); it stays in staging, and its baskets are in canon`)
    else if ((await ctx.disk.sha256(from)) !== expected) notes.push(`${what} was not moved: its bytes changed since the merge read it, so it stays in staging for the next merge`)
    else {
      await ctx.disk.mkdir(dirname(to))
      let linked = true
      try {
        await ctx.disk.link(from, to)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? ''
        if (NO_LINKS.has(code)) {
          notes.push(`${what} was not moved: this file system does not make hard links (${code}), and wicker moves no file by a rename that could replace another; it stays in staging`)
          continue
        }
        if (code !== 'EEXIST') throw error
        linked = false
      }
      await betweenSteps()
      // Both names are one file now (or were already: a move interrupted between its link and its
      // unlink); dropping the staging name completes the move. Any other file at either name stays.
      const [here, there] = [await ctx.disk.lstat(from), await ctx.disk.lstat(to)]
      if (here && there && here.dev === there.dev && here.ino === there.ino) {
        await ctx.disk.unlink(from)
        moved.push(relative(ctx.courseDir, to))
      } else if (!linked) notes.push(`${what} was not moved: ${relative(ctx.courseDir, to)} already exists (never overwritten)`)
      else {
        notes.push(`${what} was replaced while it was moved; the new file stays in staging, the one the merge read is in ${relative(ctx.courseDir, to)}`)
        moved.push(relative(ctx.courseDir, to))
      }
    }
  }
  return {moved, notes}
}

/** What to do when an interrupted transaction cannot be finished or rolled back: look, then give it up. */
export const abandonHint = (ctx: TxContext, tx: string) => `Look at ${ctx.canonFile}; if it is as you want it, run \`wicker recover ${ctx.courseDir} --abandon ${tx}\`: it backs up the current canon, records that the transaction was given up, and leaves canon and staging as they are.`

/**
 * After canon is committed: state.json, staging moves, `done`. Safe to run again. Only while canon
 * is still what the commit left (`canonNow`, its sha256 now; hashed here when the caller has not
 * just done so): a record is a file in the course, and one that names a canon that is not there
 * would otherwise put the wrong hash in state.json and consume staging files whose baskets canon
 * does not hold.
 */
export async function finish(ctx: TxContext, begin: BeginRecord, moves: CheckedMove[], canonNow?: string | null): Promise<{moved: string[]; notes: string[]}> {
  const current = canonNow === undefined ? await hashOfCanon(ctx) : canonNow
  if (current !== begin.after) {
    throw new BlockedError({
      code: 'E_RECOVERY',
      message: `${begin.kind} ${begin.tx} is committed but unfinished, and canon is not as it left it (${begin.after?.slice(0, 12) ?? 'absent'}; it is now ${current?.slice(0, 12) ?? 'absent'}): it was changed outside wicker. Its staging files were not moved and state.json was not written.`,
      hint: `${abandonHint(ctx, begin.tx)}${begin.backup ? ` The canon from before the transaction is at ${begin.backup}.` : ''}`,
      details: {tx: begin.tx, backup: begin.backup, canon: current},
    })
  }
  const state = await readState(ctx.disk, ctx.paths)
  if (state?.lastTx !== begin.tx) await writeState(ctx.disk, ctx.paths, nextState(state, begin.after, begin.tx))
  await betweenSteps()
  const result = await moveFiles(ctx, moves)
  await appendJournal(ctx.disk, ctx.paths, {type: 'done', tx: begin.tx, at: new Date().toISOString()})
  return result
}

export interface TxResult {
  tx: string
  backup: string | null
  moved: string[]
  /** staging files left where they were, and why */
  notes: string[]
}

/** A failure once canon is replaced: say so, and that the next command finishes the rest. */
function afterReplaced(error: unknown, ctx: TxContext, begin: BeginRecord): WickerError {
  const base = ioError(error, ctx.canonFile, 'finish the transaction on')
  return new IoError({
    code: base.code,
    message: `${begin.kind} ${begin.tx}: canon was replaced and is as planned (${begin.after?.slice(0, 12) ?? 'absent'}), but the rest failed: ${base.message} Nothing is lost: the next wicker command on this course (merge, restore, extract, or \`wicker recover ${ctx.courseDir}\`) finishes the transaction (journal, state, moving the consumed staging files).`,
    hint: base.hint,
    details: {...base.details, tx: begin.tx, canon: 'replaced'},
  })
}

export async function runTransaction(ctx: TxContext, tx: string, spec: TxSpec): Promise<TxResult> {
  const {disk, paths} = ctx
  const canon = await canonTarget(ctx)
  if (canon.linked && spec.after === null) throw new BlockedError({code: 'E_CANON_LINK', message: `canon ${ctx.canonFile} is a symlink; restoring "no canon" would remove the link and leave its target as it is.`, hint: 'Remove the link yourself if that is what you want.'})
  const state = await readState(disk, paths)
  const beforeSha = spec.beforeSha !== undefined ? spec.beforeSha : spec.before ? sha256Hex(spec.before) : null
  const afterSha = spec.afterSha !== undefined ? spec.afterSha : spec.after ? sha256Hex(spec.after) : null
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
  // The same check recovery makes: a plan is a file too, and may name paths outside the course.
  // one pass over every move: the folders they share are looked up once (remembering.ts)
  const checked = await checkBegin({...ctx, disk: remembering(ctx.disk)}, begin, {trustedRoots: spec.stagingRoots})
  // a record about to be written moves only what can be vouched for now
  const unsafe = 'reason' in checked ? checked.reason : checked.unverified.length > 0 ? `moves[${checked.unverified[0]!.index}] is in ${checked.unverified[0]!.root}, outside the course's staging folders` : null
  if (unsafe !== null || 'reason' in checked) throw new BlockedError({code: 'E_UNSAFE_PATH', message: `${spec.kind} refused: ${unsafe}; nothing was written.`, hint: 'wicker moves only files inside the course\'s staging folders, or in a --staging folder you name on the command line (pass the same --staging folders the plan was made with). Otherwise make the plan again with `wicker preview --out`.'})
  // before the begin record: a backups folder that is not a real folder is refused with nothing written
  if (backup) await makeRealFolder(ctx.courseDir, paths.backups, disk)
  await appendJournal(disk, paths, begin)
  await betweenSteps()

  const temp = `${canon.target}.${tx}.tmp`
  let replaced = false
  try {
    if (backup) {
      // Canon is only ever replaced by rename, never written in place: a hard link to the current file
      // is a backup that no later write can touch, without copying a 100 MB canon. Where links are not
      // possible (another file system), and for a symlinked canon (a link to a link would follow the
      // live file), the bytes are copied.
      const linked = !canon.linked && (await disk.link(canon.target, backup).then(() => true, () => false))
      if (!linked) await disk.writeFile(backup, spec.before!, {exclusive: true})
      await disk.syncDir(paths.backups)
      await betweenSteps()
    }
    if (spec.after) {
      await disk.writeFile(temp, spec.after, {exclusive: true})
      await betweenSteps()
      if (spec.beforeFile !== undefined && !sameFile(await disk.stat(ctx.canonFile), spec.beforeFile)) {
        throw new BlockedError({code: 'E_CANON_CHANGED', message: `canon ${ctx.canonFile} changed while ${spec.kind} ${tx} was under way (edited outside wicker); nothing was written.`, hint: 'Run the command again: it plans from canon as it is now.'})
      }
      await disk.rename(temp, canon.target)
    } else if (disk.exists(canon.target)) {
      // Restoring "no canon": the backup above holds it, but only of the file as it was read. The
      // same check as before a rename: an edit made meanwhile outside wicker is never removed.
      if (spec.beforeFile !== undefined && !sameFile(await disk.stat(ctx.canonFile), spec.beforeFile)) {
        throw new BlockedError({code: 'E_CANON_CHANGED', message: `canon ${ctx.canonFile} changed while ${spec.kind} ${tx} was under way (edited outside wicker); nothing was removed.`, hint: 'Run the command again: it plans from canon as it is now.'})
      }
      await disk.unlink(canon.target)
    }
    replaced = true
    await disk.syncDir(dirname(canon.target))
  } catch (error) {
    if (replaced) throw afterReplaced(error, ctx, begin)
    await disk.unlink(temp).catch(() => undefined)
    await appendJournal(disk, paths, {type: 'abort', tx, at: new Date().toISOString(), reason: (error as Error).message.slice(0, 4000)}).catch(() => undefined)
    throw ioError(error, ctx.canonFile, 'write')
  }

  try {
    await betweenSteps()
    const written = await hashOfCanon(ctx)
    if (written !== afterSha) {
      // What is on disk is not what was written: put the backup back.
      if (spec.before) {
        await disk.writeFile(temp, spec.before, {exclusive: false})
        await disk.rename(temp, canon.target)
      }
      await appendJournal(disk, paths, {type: 'abort', tx, at: new Date().toISOString(), reason: `read-back hash ${written} is not ${afterSha}; canon restored from ${begin.backup}`})
      throw new IoError({code: 'E_IO_VERIFY', message: `canon read back differently from what was written (${ctx.canonFile}); it was restored from the backup.`, hint: 'Check the disk (space, errors) and run the command again.', details: {backup}})
    }
    await appendJournal(disk, paths, {type: 'commit', tx, at: new Date().toISOString()})
    const {moved, notes} = await finish(ctx, begin, checked.moves, written)
    return {tx, backup: begin.backup, moved, notes}
  } catch (error) {
    if (error instanceof WickerError && error.code === 'E_IO_VERIFY') throw error
    await disk.unlink(temp).catch(() => undefined)
    throw afterReplaced(error, ctx, begin)
  }
}
