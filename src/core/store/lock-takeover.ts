import {randomUUID} from 'node:crypto'
import {join} from 'node:path'

import {ioError} from '../errors.js'
import type {LockInfo} from '../schemas/lock.js'
import type {Disk} from './disk.js'
import {claimPath, parseLockName, stalePath, tokenPath} from './lock-names.js'
import {claimantGone, ownClaims} from './lock-owners.js'
import {readLockDocument} from './lock-read.js'
import type {WickerPaths} from './paths.js'

export type Retired =
  /** the lock was X and is now moved aside to `aside`; nobody holds the lock */
  | {kind: 'retired'; aside: string}
  /** a live process is clearing X right now */
  | {kind: 'claimed'; pid: number}
  /** the lock is no longer X, or another process got X's token first: look at the lock again */
  | {kind: 'moved-on'}
  /** X has no token (an older wicker or a person wrote it): it cannot be cleared safely by itself */
  | {kind: 'no-token'}

/**
 * Moves lock X aside, so that it happens once however many processes try at once.
 *
 * Renaming `.wicker/lock` itself is not safe: a slow process would move away the lock a fast one has
 * just taken. The only compare-and-swap POSIX offers is renaming a name that exists once, so the
 * process first claims X's token (`lock.X`, or the claim of a claimant that died) by renaming it to a
 * claim of its own. Exactly one rename succeeds; only that process may then move `lock` aside, and it
 * is still X then, because X's holder never releases it (it is gone) and nobody else holds its token.
 * The token is removed only after `lock` is moved aside, so "no token, no claim, and `lock` is still X"
 * means X never had one.
 */
export async function retireLock(disk: Disk, paths: WickerPaths, x: LockInfo): Promise<Retired> {
  const seen = await lstatLock(disk, paths)
  let found = await findSources(disk, paths, x)
  if (found.kind === 'claimed') return found
  if (found.sources.length === 0) {
    // A listing may miss a name that is being renamed meanwhile (POSIX leaves it unspecified), and
    // claims are renames: before saying X has no token, list again, and check that `lock` is still
    // the very file X was (same id, same inode) and not a lock taken since.
    found = await findSources(disk, paths, x)
    if (found.kind === 'claimed') return found
    if (found.sources.length === 0) {
      const now = await readLockDocument(disk, paths.lock)
      const after = await lstatLock(disk, paths)
      const same = seen !== null && after !== null && seen.dev === after.dev && seen.ino === after.ino
      return same && now?.kind === 'ok' && now.info.lockId === x.lockId ? {kind: 'no-token'} : {kind: 'moved-on'}
    }
  }
  const {sources} = found

  const claimId = randomUUID()
  const claim = claimPath(paths, x.lockId, process.pid, claimId)
  ownClaims.add(claimId)
  try {
    if (!(await claimOne(disk, sources, claim))) return {kind: 'moved-on'}
    const now = await readLockDocument(disk, paths.lock)
    if (now?.kind !== 'ok' || now.info.lockId !== x.lockId) {
      // X was cleared already (its clearer died before removing its claim, or a person removed it)
      await disk.unlink(claim).catch(() => undefined)
      return {kind: 'moved-on'}
    }
    const aside = stalePath(paths, x.lockId)
    await disk.rename(paths.lock, aside).catch((error) => {
      throw ioError(error, paths.lock, 'move the stale lock aside')
    })
    // A claim left here by a kill is debris the next lock holder removes; X is cleared either way.
    await disk.unlink(claim).catch(() => undefined)
    return {kind: 'retired', aside}
  } finally {
    ownClaims.delete(claimId)
  }
}

/** The names that hold X's token (its token first), or the live process that claimed it. */
async function findSources(disk: Disk, paths: WickerPaths, x: LockInfo): Promise<{kind: 'sources'; sources: string[]} | {kind: 'claimed'; pid: number}> {
  const names = await disk.readdir(paths.root).catch((error) => {
    throw ioError(error, paths.root, 'list the lock folder')
  })
  const sources: string[] = []
  for (const name of names) {
    const file = parseLockName(paths, name)
    if (!file || file.kind === 'stale' || file.id !== x.lockId) continue
    if (file.kind === 'claim') {
      if (!claimantGone(file.pid, file.claimId)) return {kind: 'claimed', pid: file.pid}
      sources.push(join(paths.root, name))
    } else if (file.kind === 'token') {
      sources.unshift(join(paths.root, name))
    } else {
      // an older wicker linked the lock from its temp file: that name is the token
      sources.push(join(paths.root, name))
    }
  }
  return {kind: 'sources', sources}
}

const lstatLock = (disk: Disk, paths: WickerPaths) =>
  disk.lstat(paths.lock).catch((error) => {
    throw ioError(error, paths.lock, 'read the lock')
  })

/**
 * Gives lock X, which has no token (an older wicker or a person wrote it), a token, so that it can be
 * cleared through the token like any other: `lock.X` is made a hard link to whatever `lock` is now
 * (the link fails if `lock.X` exists), then read back. Returns whether `lock.X` now holds X; if
 * `lock` had become another lock meanwhile, the link is undone and X is no longer there to clear.
 */
export async function adoptToken(disk: Disk, paths: WickerPaths, x: LockInfo): Promise<boolean> {
  const token = tokenPath(paths, x.lockId)
  try {
    await disk.link(paths.lock, token)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // EEXIST: X has a token after all (a listing missed it); ENOENT: the lock is gone. Look again.
    if (code === 'EEXIST' || code === 'ENOENT') return false
    throw ioError(error, token, 'give the lock a token')
  }
  const now = await readLockDocument(disk, token)
  if (now?.kind === 'ok' && now.info.lockId === x.lockId) return true
  await disk.unlink(token).catch((error) => {
    throw ioError(error, token, 'remove a token wicker just made')
  })
  return false
}

async function claimOne(disk: Disk, sources: string[], claim: string): Promise<boolean> {
  for (const source of sources) {
    try {
      await disk.rename(source, claim)
      return true
    } catch (error) {
      // another process renamed it first
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(error, source, 'claim the stale lock')
    }
  }
  return false
}

/** Whether lock X has a token (or a claim of one) next to it, i.e. whether a writer can clear it once its holder is gone. */
export async function hasToken(disk: Disk, paths: WickerPaths, lockId: string): Promise<boolean> {
  const names = await disk.readdir(paths.root).catch(() => [] as string[])
  return names.some((name) => {
    const file = parseLockName(paths, name)
    return file !== null && file.kind !== 'stale' && file.id === lockId
  })
}
