import {basename, dirname, join, relative, resolve, sep} from 'node:path'

import {UsageError} from '../errors.js'
import type {Disk} from '../store/disk.js'
import {stagingFileIn, stagingRootAllowed} from '../staging/confine.js'
import {confine, insideReally, within} from '../store/inside.js'
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
  /** its place in the record's moves */
  index: number
  from: string
  to: string
  /** sha256 the file must have to be moved; null: an old record that did not say */
  sha256: string | null
}

/** A move in a staging folder this command cannot vouch for: not made, and said so. */
export interface UnverifiedMove {
  index: number
  from: string
  to: string
  /** the staging folder it is in */
  root: string
}

export interface CheckedBegin {
  /** absolute path of the backup, or null (there was no canon) */
  backup: string | null
  moves: CheckedMove[]
  unverified: UnverifiedMove[]
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

/** Returns what the record may touch, or why it may not be obeyed. */
export async function checkBegin(ctx: CheckContext, begin: BeginRecord, options: {trustedRoots?: string[]} = {}): Promise<CheckedBegin | {reason: string}> {
  const trust = {courseDir: ctx.courseDir, wickerDir: ctx.paths.root, named: (options.trustedRoots ?? []).map((r) => resolve(r))}
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
  const unverified: UnverifiedMove[] = []
  for (const [i, move] of begin.moves.entries()) {
    const [from, to] = [resolve(ctx.courseDir, move[0]), resolve(ctx.courseDir, move[1])]
    const where = `moves[${i}] ${show(move[0])} → ${show(move[1])}`
    // merge: staging → .applied/<this tx>/. restore --restage: back out of .applied/<the merge undone>/,
    // or, restoring a restore, into it again: either way, between a staging file and its .applied/<tx>/ place.
    const outOf = begin.kind === 'merge' ? null : stagingRoot(to, from, (t) => TX_ID.test(t))
    const into = outOf === null ? stagingRoot(from, to, (t) => (begin.kind === 'merge' ? t === begin.tx : TX_ID.test(t))) : null
    const root = outOf ?? into
    // a move wicker never writes is a forged record: refused whole
    if (root === null) return {reason: `${where}: not a staging file and its place in .applied/<tx>/`}
    const [staged, applied] = outOf !== null ? [to, from] : [from, to]
    // A folder this command cannot vouch for (outside the course and not named with --staging, as
    // after `merge --staging /elsewhere`): its file is not moved. Leaving a file in staging loses
    // nothing (the next merge finds its baskets identical).
    if (!(await stagingRootAllowed(ctx.disk, root, trust))) {
      unverified.push({index: i, from, to, root})
      continue
    }
    // The same rule as a plan's staging paths (staging/confine.ts), and the .applied/ side within the
    // same folder. Either leading out through a symlink is a record wicker did not write: its scan
    // never reads through a symlink.
    const stagedOk = await stagingFileIn(ctx.disk, root, staged, trust, {noFinalSymlink: false})
    if (stagedOk === null || (await confine(ctx.disk, root, dirname(applied))) === null) return {reason: `${where}: leads outside its staging folder (a symlinked folder)`}
    moves.push({index: i, from, to, sha256: move[2] ?? null})
  }
  return {backup, moves, unverified}
}

/** What a user is told about a move that was not made because its staging folder could not be vouched for. */
export function unverifiedNote(courseDir: string, move: UnverifiedMove): string {
  const rel = (p: string) => (within(courseDir, p) ? relative(courseDir, p) : p)
  return `${rel(move.from)} was not moved to ${rel(move.to)}: its staging folder ${rel(move.root)} is not one of the course's and was not named with --staging on this command, so it was left as it is (pass --staging ${rel(move.root)} to move it; a file left in staging loses nothing: its baskets are in canon)`
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
