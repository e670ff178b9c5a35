import {randomUUID} from 'node:crypto'
import {hostname} from 'node:os'

import {BlockedError, InputError, ioError, UsageError} from '../errors.js'
import {pidNamespace} from '../proc/identity.js'
import type {LockInfo} from '../schemas/lock.js'
import type {Disk} from './disk.js'
import {clearDebris} from './lock-debris.js'
import {claimPath, tempPath, tokenPath} from './lock-names.js'
import {isStale, ownClaims, ownTokens, selfIdentity} from './lock-owners.js'
import {readLockDocument, type LockDocument} from './lock-read.js'
import {adoptToken, retireLock} from './lock-takeover.js'
import type {WickerPaths} from './paths.js'

/**
 * One writer at a time. Each lock has a token, `.wicker/lock.<id>`, written whole first; the lock is
 * `.wicker/lock` created as a hard link to it (fails if a lock exists). A lock is never broken
 * silently: only when its holder ran on this host and that process is gone, and then through its
 * token (see lock-takeover.ts) so that one process clears it however many try, and the command says so.
 */
export type {LockInfo} from '../schemas/lock.js'
export {isAlive, isStale} from './lock-owners.js'

export interface Lock {
  info: LockInfo
  /** what was done to get it, e.g. a stale lock that was cleared */
  notes: string[]
  release(): Promise<void>
}

/** How long to wait for another process that is clearing a stale lock (it takes milliseconds). */
const CLAIM_WAIT_MS = 1000
const MAX_ROUNDS = 200

export interface LockWait {
  /** how long to wait for a live holder to let go, polling (0: fail at once, the default) */
  timeoutMs?: number
  /** stops the wait early (the lock-held error then says how long it waited) */
  signal?: AbortSignal
  /** between two looks at the lock */
  pollMs?: number
  /** told once, when the wait starts: who holds the lock */
  onWait?: (message: string) => void
}

/**
 * Takes the lock; with `timeoutMs`, a lock held by a live process is waited for (like Terraform's
 * -lock-timeout), looking again every `pollMs` until it is free or the time is up. A look at a held
 * lock writes nothing, so a Ctrl-C or a kill while waiting leaves nothing behind.
 */
export async function acquireLock(disk: Disk, paths: WickerPaths, command: string, wait: LockWait = {}): Promise<Lock> {
  const started = Date.now()
  const deadline = started + (wait.timeoutMs ?? 0)
  let told = false
  for (;;) {
    try {
      return await tryLock(disk, paths, command)
    } catch (error) {
      if (!(error instanceof BlockedError) || error.code !== 'E_LOCK_HELD' || !wait.timeoutMs) throw error
      const left = deadline - Date.now()
      if (left <= 0 || wait.signal?.aborted) throw waited(error, Date.now() - started, wait.signal?.aborted ?? false)
      if (!told) wait.onWait?.(`waiting up to ${(left / 1000).toFixed(1)} s for the lock: ${error.message.replace(/^lock held: /, '')}`)
      told = true
      await pause(Math.min(left, wait.pollMs ?? 100), wait.signal)
    }
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, {once: true})
  })
}

/** The lock-held error, saying how long wicker waited for it. */
function waited(error: BlockedError, ms: number, stopped: boolean): BlockedError {
  const seconds = `${(ms / 1000).toFixed(1)} s`
  return new BlockedError({
    code: 'E_LOCK_HELD',
    message: `${error.message.replace(/\.$/, '')}; waited ${seconds} for it${stopped ? ' (stopped)' : ''}.`,
    hint: stopped ? error.hint : `Wait longer with a larger --lock-timeout. ${error.hint?.replace(/^Wait for it to finish\. /, '') ?? ''}`.trim(),
    details: {...error.details, waitedMs: ms},
  })
}

async function tryLock(disk: Disk, paths: WickerPaths, command: string): Promise<Lock> {
  // the command line names files a user chose: keep what other processes will read free of control characters
  const shown = command.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 1000)
  const info: LockInfo = {lockId: randomUUID(), pid: process.pid, host: hostname(), command: shown, startedAt: new Date().toISOString(), ...selfIdentity()}
  await disk.mkdir(paths.root).catch((error) => {
    throw ioError(error, paths.root, 'create')
  })
  await checkFolder(disk, paths)
  // A lock a live process holds is reported from a look alone, before anything of ours is written:
  // waiting for it writes nothing, so a Ctrl-C or a kill while waiting leaves nothing behind.
  const held = await readLockDocument(disk, paths.lock)
  if (held?.kind === 'bad') throw unusableLock(paths, held)
  if (held?.kind === 'ok' && !isStale(held.info)) throw lockHeld(paths, held.info)
  const token = tokenPath(paths, info.lockId)
  const temp = tempPath(paths, info.lockId)
  ownTokens.add(info.lockId)
  try {
    // Whole or not at all: a process killed mid-write leaves only a temp file, never a torn token.
    await disk.writeFile(temp, `${JSON.stringify(info)}\n`, {exclusive: true}).catch((error) => {
      throw ioError(error, temp, 'create the lock')
    })
    await disk.rename(temp, token).catch((error) => {
      throw ioError(error, temp, 'create the lock')
    })
    const notes = await takeLock(disk, paths, token)
    const debris = await clearDebris(disk, paths, info.lockId).catch(() => null)
    if (debris) notes.push(debris)
    return {info, notes, release: releaser(disk, paths, info)}
  } catch (error) {
    ownTokens.delete(info.lockId)
    for (const file of [temp, token]) await disk.unlink(file).catch(() => undefined)
    throw error
  }
}

/** The lock's folder must be a real folder: a symlink planted in the course would put the lock, and what follows it, elsewhere. */
async function checkFolder(disk: Disk, paths: WickerPaths): Promise<void> {
  const stat = await disk.lstat(paths.root).catch((error) => {
    throw ioError(error, paths.root, 'read')
  })
  if (stat?.kind === 'dir') return
  throw new InputError({
    code: 'E_LOCK_FOLDER',
    message: `${paths.root} is ${stat?.kind === 'symlink' ? 'a symlink' : stat ? 'not a folder' : 'missing'}; wicker keeps its lock and state only in a real folder inside the course.`,
    hint: `Replace ${paths.root} with a folder (move what it holds into it), then run the command again.`,
    details: {file: paths.root},
  })
}

/** Links the lock to our token, clearing stale locks on the way; returns what it did. */
async function takeLock(disk: Disk, paths: WickerPaths, token: string): Promise<string[]> {
  const notes: string[] = []
  const waitUntil = Date.now() + CLAIM_WAIT_MS
  for (let round = 0; round < MAX_ROUNDS; round++) {
    try {
      await disk.link(token, paths.lock)
      return notes
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(error, paths.lock, 'create the lock')
    }
    const found = await readLockDocument(disk, paths.lock)
    if (!found) continue
    if (found.kind === 'bad') throw unusableLock(paths, found)
    const holder = found.info
    if (!isStale(holder)) throw lockHeld(paths, holder)
    const outcome = await retireLock(disk, paths, holder)
    if (outcome.kind === 'retired') notes.push(`cleared the lock of ${holder.command} (pid ${holder.pid}), which is no longer running (kept as ${outcome.aside})`)
    if (outcome.kind === 'no-token') throw staleWithoutToken(holder)
    if (outcome.kind === 'claimed') {
      if (Date.now() > waitUntil) throw lockHeld(paths, holder, `another wicker process (pid ${outcome.pid}) is clearing it`)
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20))
    }
  }
  throw new BlockedError({code: 'E_LOCK_HELD', message: `lock held: ${paths.lock} kept changing while wicker tried to take it.`, hint: 'Another wicker process is working on this course; run the command again when it is done.'})
}

function releaser(disk: Disk, paths: WickerPaths, info: LockInfo): () => Promise<void> {
  let released = false
  return async () => {
    if (released) return
    released = true
    // Released like a stale lock is cleared, through the token: claiming it first means a person's
    // `unlock --force` cannot move the lock away between our check and our unlink (and if it already
    // did, the claim fails and whatever lock is there now stays).
    const claimId = randomUUID()
    const claim = claimPath(paths, info.lockId, process.pid, claimId)
    ownClaims.add(claimId)
    try {
      try {
        await disk.rename(tokenPath(paths, info.lockId), claim)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
        throw error
      }
      const now = await readLockDocument(disk, paths.lock)
      if (now?.kind === 'ok' && now.info.lockId === info.lockId) await disk.unlink(paths.lock)
      await disk.unlink(claim)
    } finally {
      // Whatever failed, this process no longer holds it: a lock left behind is stale from now on.
      ownClaims.delete(claimId)
      ownTokens.delete(info.lockId)
    }
  }
}

/**
 * A live holder, or one on another host (a CI runner, a pod) that wicker cannot see: `wicker unlock`
 * finds a lock by its id wherever it is (the course's, a run's, a shard's).
 */
function lockHeld(paths: WickerPaths, holder: LockInfo, why?: string): BlockedError {
  const elsewhere = holder.host !== hostname()
  return new BlockedError({
    code: 'E_LOCK_HELD',
    message: `lock held: ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}) is writing this course (its lock: ${paths.lock})${why ? `, and ${why}` : ''}.`,
    hint: `Wait for it to finish. ${elsewhere ? `If it no longer runs on ${holder.host} (its machine, runner or pod was stopped), remove the lock` : 'If no wicker process is running, remove the lock'} with: wicker unlock <course> --lock-id ${holder.lockId}`,
    details: {lock: holder, file: paths.lock},
  })
}

function staleWithoutToken(holder: LockInfo): BlockedError {
  return new BlockedError({
    code: 'E_LOCK_STALE',
    message: `lock held by ${holder.command} (pid ${holder.pid}, since ${holder.startedAt}), which is no longer running; the lock has no token (an older wicker or a person wrote it), so wicker does not clear it by itself.`,
    hint: `Check that no wicker process is working on this course, then remove the lock with: wicker unlock <course> --lock-id ${holder.lockId}`,
    details: {lock: holder},
  })
}

/** A lock wicker cannot read is a course file that is not usable (exit 2), in every command. */
function unusableLock(paths: WickerPaths, found: Extract<LockDocument, {kind: 'bad'}>): InputError {
  return new InputError({
    code: 'E_LOCK_INVALID',
    message: `the lock ${paths.lock} ${found.problem}; wicker does not take it over or use what it says.`,
    hint: `Check that no wicker process is working on this course (e.g. \`ps aux | grep wicker\`), then delete ${paths.lock} by hand and run the command again.`,
    details: {file: paths.lock, problem: found.problem},
  })
}

/**
 * The holder is a process wicker can see running: on this host, in this pid namespace. One of
 * another host or namespace cannot be judged; a person who checked removes it by its id.
 */
export function holderAlive(holder: LockInfo): boolean {
  const ns = pidNamespace()
  return holder.host === hostname() && (holder.pidNamespace === undefined || ns === null || holder.pidNamespace === ns) && !isStale(holder)
}

/**
 * A lock someone may hold now: its holder is not certainly gone (a lock of another host, or one
 * wicker cannot read, counts as held: it cannot be judged from here).
 */
export function heldNow(doc: LockDocument | null): boolean {
  return doc !== null && (doc.kind === 'bad' || !isStale(doc.info))
}

/** A lock's raw id as it may be shown (escaped so it cannot drive a terminal, cut to 80), never used in a path. */
export function shownLockId(raw: string | null): string | null {
  return raw === null ? null : JSON.stringify(raw).slice(1, -1).slice(0, 80)
}

/** What .wicker/lock holds now (null: no lock), for status and unlock. */
export async function inspectLock(disk: Disk, paths: WickerPaths): Promise<LockDocument | null> {
  return readLockDocument(disk, paths.lock)
}

/**
 * Removes a lock only when given its id, and only that lock: always through its token like a stale
 * lock (so it cannot race a process clearing it, nor move a lock taken since), giving a lock without
 * one a token first (adoptToken). The lock is kept as
 * `lock.stale-<id>`. A lock wicker cannot read is refused: a person deletes it by hand.
 */
export async function forceUnlock(disk: Disk, paths: WickerPaths, lockId: string, options: {force?: boolean} = {}, round = 0): Promise<LockInfo | null> {
  const found = await readLockDocument(disk, paths.lock)
  if (!found) return null
  if (found.kind === 'bad') {
    // A hand-written lock with an id of its own: the id is compared, never put in a path.
    if (found.lockId !== null && found.lockId === lockId) {
      await disk.unlink(paths.lock).catch((error) => {
        throw ioError(error, paths.lock, 'remove the lock')
      })
      return {lockId, pid: -1, host: '?', command: '?', startedAt: '?'}
    }
    throw unusableLock(paths, found)
  }
  const holder = found.info
  if (holder.lockId !== lockId) {
    throw new UsageError({
      code: 'E_LOCK_ID',
      message: `the lock is held by ${holder.command} (pid ${holder.pid} on ${holder.host}) with id ${holder.lockId}, not ${lockId}.`,
      hint: 'Pass the lock id shown by `wicker status` (or in the "lock held" message). Make sure that process is really gone first.',
      details: {lock: holder},
    })
  }
  // a holder alive on this host is working right now: its lock goes only with --force
  if (holderAlive(holder) && !options.force) {
    throw new BlockedError({
      code: 'E_LOCK_LIVE',
      message: `the lock ${lockId} is held by ${holder.command}, pid ${holder.pid} on this host, which is still running; the lock was left in place.`,
      hint: `Wait for pid ${holder.pid} to finish (or stop it). If you are sure it is not writing this course, pass --force as well.`,
      details: {lock: holder},
    })
  }
  const outcome = await retireLock(disk, paths, holder)
  if (outcome.kind === 'claimed') {
    throw new BlockedError({
      code: 'E_LOCK_HELD',
      message: `another wicker process (pid ${outcome.pid}) is clearing this lock right now.`,
      hint: `Run \`wicker status\` again in a moment. If pid ${outcome.pid} is not a wicker process, delete its claim (${paths.lock}.${holder.lockId}.claim.${outcome.pid}.*) by hand.`,
      details: {lock: holder},
    })
  }
  // Never `rename(lock)` straight away: a third process may have taken the lock since it was read.
  // A lock without a token gets one first, and is then cleared through it like any other.
  if (outcome.kind === 'no-token') await adoptToken(disk, paths, holder)
  // it changed meanwhile (another process cleared it, or it now has a token): look again
  if (outcome.kind !== 'retired') {
    if (round < 5) return forceUnlock(disk, paths, lockId, options, round + 1)
    throw new BlockedError({code: 'E_LOCK_HELD', message: `lock ${paths.lock} kept changing while wicker tried to remove it.`, hint: 'Another wicker process is working on this course; run `wicker status` again when it is done.', details: {lock: holder}})
  }
  return holder
}
