import {basename, dirname, join, relative, resolve, sep} from 'node:path'

import {UsageError} from '../errors.js'
import type {Disk} from '../store/disk.js'
import {insideReally, within} from '../store/inside.js'
import {TX_ID, type BeginRecord} from '../store/journal.js'
import type {WickerPaths} from '../store/paths.js'

/**
 * What a `begin` record may make wicker touch, derived by wicker itself and checked against the
 * course folder. The journal (and a plan) are files in the course, so nothing they say is used as
 * a path until it is shown to be the path wicker would have made: the backup in .wicker/backups
 * named from generation, tx and hash; each staging file inside a staging folder of the course,
 * going to exactly appliedPath(from, stagingDir, tx); no symlink on the way leading out.
 */
export interface CheckContext {
  disk: Disk
  paths: WickerPaths
  courseDir: string
}

export interface CheckedMove {
  from: string
  to: string
  /** sha256 the file must have to be moved; null: an old record that did not say */
  sha256: string | null
}

export interface CheckedBegin {
  /** absolute path of the backup, or null (there was no canon) */
  backup: string | null
  moves: CheckedMove[]
}

const show = (p: string) => JSON.stringify(p.length > 80 ? `${p.slice(0, 80)}…` : p)

/** Where a consumed staging file goes: <staging>/.applied/<tx>/<its path inside staging>. */
export function appliedPath(file: string, stagingDir: string, tx: string): string {
  return join(stagingDir, '.applied', tx, relative(stagingDir, file))
}

/**
 * The staging folder a move is for, read off its applied path (…/<staging>/.applied/<tx>/<rest>)
 * and accepted only if the staging path is exactly <staging>/<rest>.
 */
function stagingRoot(staging: string, applied: string, isTx: (segment: string) => boolean): string | null {
  const parts = applied.split(sep)
  for (let i = 1; i < parts.length - 2; i++) {
    if (parts[i] !== '.applied' || !isTx(parts[i + 1]!)) continue
    const root = parts.slice(0, i).join(sep) || sep
    const rest = parts.slice(i + 2)
    if (rest[0] === '.applied') continue
    if (join(root, ...rest) === staging) return root
  }
  return null
}

/** A staging folder wicker may move files in: inside the course (not the course itself, not .wicker), or one the user named. */
async function rootAllowed(ctx: CheckContext, root: string, trusted: string[]): Promise<boolean> {
  if (trusted.includes(root)) return true
  if (root === resolve(ctx.courseDir) || !within(ctx.courseDir, root) || within(ctx.paths.root, root)) return false
  return insideReally(ctx.disk, ctx.courseDir, root)
}

/** A staging file named by a plan may be read: it is inside the course (not in .wicker), or in a staging folder the user named. */
export async function stagingFileAllowed(ctx: CheckContext, file: string, trustedRoots: string[]): Promise<boolean> {
  const path = resolve(ctx.courseDir, file)
  for (const root of trustedRoots.map((r) => resolve(r))) if (within(root, path) && (await insideReally(ctx.disk, root, path))) return true
  return within(ctx.courseDir, path) && !within(ctx.paths.root, path) && insideReally(ctx.disk, ctx.courseDir, path)
}

/** Returns what the record may touch, or why it may not be obeyed. */
export async function checkBegin(ctx: CheckContext, begin: BeginRecord, options: {trustedRoots?: string[]} = {}): Promise<CheckedBegin | {reason: string}> {
  const trusted = (options.trustedRoots ?? []).map((r) => resolve(r))
  if (!TX_ID.test(begin.tx)) return {reason: `tx ${show(begin.tx)} is not an id wicker makes`}
  if (!(await insideReally(ctx.disk, ctx.courseDir, ctx.paths.journal))) return {reason: `${ctx.paths.root} leads outside the course (a symlink); replace it with a real folder`}

  let backup: string | null = null
  if (begin.before === null) {
    if (begin.backup !== null) return {reason: 'a backup is named for a canon that did not exist'}
  } else {
    if (begin.backup === null) return {reason: 'no backup is named for the canon it replaced'}
    backup = resolve(ctx.courseDir, begin.backup)
    const name = new RegExp(`^\\d{6}-${begin.tx}-${begin.before.slice(0, 8)}\\.json$`)
    if (dirname(backup) !== resolve(ctx.paths.backups) || !name.test(basename(backup))) return {reason: `backup ${show(begin.backup)} is not the name wicker gives it (.wicker/backups/<generation>-${begin.tx}-${begin.before.slice(0, 8)}.json)`}
    if (!(await insideReally(ctx.disk, ctx.courseDir, backup))) return {reason: `backup ${show(begin.backup)} leads outside the course (a symlinked folder)`}
  }

  const moves: CheckedMove[] = []
  for (const [i, move] of begin.moves.entries()) {
    const [from, to] = [resolve(ctx.courseDir, move[0]), resolve(ctx.courseDir, move[1])]
    const where = `moves[${i}] ${show(move[0])} → ${show(move[1])}`
    // merge: staging → .applied/<this tx>/. restore --restage: back out of .applied/<the merge undone>/,
    // or, restoring a restore, into it again: either way, between a staging file and its .applied/<tx>/ place.
    const root =
      begin.kind === 'merge'
        ? stagingRoot(from, to, (t) => t === begin.tx)
        : (stagingRoot(to, from, (t) => TX_ID.test(t)) ?? stagingRoot(from, to, (t) => TX_ID.test(t)))
    if (root === null) return {reason: `${where}: not a staging file and its place in .applied/<tx>/`}
    if (!(await rootAllowed(ctx, root, trusted))) return {reason: `${where}: outside the course's staging folders`}
    if (!(await insideReally(ctx.disk, root, dirname(from))) || !(await insideReally(ctx.disk, root, dirname(to)))) return {reason: `${where}: leads outside its staging folder (a symlinked folder)`}
    moves.push({from, to, sha256: move[2] ?? null})
  }
  return {backup, moves}
}

/** The file a canon write replaces: canon itself, or the file it links to when that is inside the course. */
export async function canonTarget(ctx: CheckContext & {canonFile: string}): Promise<{target: string; linked: boolean}> {
  const here = await ctx.disk.lstat(ctx.canonFile)
  if (here?.kind !== 'symlink') return {target: ctx.canonFile, linked: false}
  const real = await ctx.disk.realpath(ctx.canonFile).catch(() => null)
  const fix = 'wicker writes only inside the course folder: merge in the folder that holds the real file, or replace the link with a copy of the file (cp --remove-destination "$(readlink -f FILE)" FILE).'
  if (real === null) throw new UsageError({code: 'E_CANON_LINK', message: `canon ${ctx.canonFile} is a symlink to a file that does not exist.`, hint: fix})
  if (!(await insideReally(ctx.disk, ctx.courseDir, real))) throw new UsageError({code: 'E_CANON_LINK', message: `canon ${ctx.canonFile} is a symlink to ${real}, outside the course folder; nothing was written.`, hint: fix})
  if ((await ctx.disk.stat(real))?.kind !== 'file') throw new UsageError({code: 'E_CANON_LINK', message: `canon ${ctx.canonFile} links to ${real}, which is not a file.`, hint: fix})
  return {target: real, linked: true}
}
