import {basename, join} from 'node:path'

import {LOCK_ID} from '../schemas/lock.js'
import type {WickerPaths} from './paths.js'

/**
 * The files of one lock, next to it (for .wicker/lock: .wicker/lock.*). Every id in a name has
 * matched LOCK_ID first, so no name can point anywhere but this folder.
 *
 *   lock.<id>                     token: the holder's document, written whole before `lock` links to it
 *   lock.<id>.tmp                 a token being written (left behind only by a kill)
 *   lock.<id>.claim.<pid>.<cid>   a stale lock's token renamed by the process clearing it
 *   lock.stale-<id>               a cleared lock, kept for a person to read
 */
export type LockName =
  | {kind: 'token'; id: string}
  | {kind: 'temp'; id: string}
  | {kind: 'claim'; id: string; pid: number; claimId: string}
  | {kind: 'stale'; id: string}

type LockPaths = Pick<WickerPaths, 'root' | 'lock'>

function checked(id: string): string {
  // A bug guard: callers validate ids read from disk before they get here.
  if (!LOCK_ID.test(id)) throw new Error(`not a lock id: ${JSON.stringify(id)}`)
  return id
}

export const tokenPath = (paths: LockPaths, id: string) => join(paths.root, `${basename(paths.lock)}.${checked(id)}`)
export const tempPath = (paths: LockPaths, id: string) => `${tokenPath(paths, id)}.tmp`
export const claimPath = (paths: LockPaths, id: string, pid: number, claimId: string) => `${tokenPath(paths, id)}.claim.${pid}.${checked(claimId)}`
export const stalePath = (paths: LockPaths, id: string) => join(paths.root, `${basename(paths.lock)}.stale-${checked(id)}`)

const UUID = LOCK_ID.source.slice(1, -1)

/** What a name in the lock's folder is, if it is one of the lock's files. */
export function parseLockName(paths: LockPaths, name: string): LockName | null {
  const prefix = `${basename(paths.lock)}.`
  if (!name.startsWith(prefix)) return null
  const rest = name.slice(prefix.length)
  // Cleared locks of older versions may carry any id: only their prefix is trusted (a name in a folder
  // listing cannot leave the folder).
  if (rest.startsWith('stale-')) return {kind: 'stale', id: rest.slice('stale-'.length)}
  let m = new RegExp(`^(${UUID})$`).exec(rest)
  if (m) return {kind: 'token', id: m[1]!}
  m = new RegExp(`^(${UUID})\\.tmp$`).exec(rest)
  if (m) return {kind: 'temp', id: m[1]!}
  m = new RegExp(`^(${UUID})\\.claim\\.([1-9]\\d{0,9})\\.(${UUID})$`).exec(rest)
  if (m) return {kind: 'claim', id: m[1]!, pid: Number(m[2]), claimId: m[3]!}
  return null
}
