import {hostname} from 'node:os'
import {join} from 'node:path'

import type {Disk} from './disk.js'
import {parseLockName} from './lock-names.js'
import {claimantGone, isStale, ownTokens} from './lock-owners.js'
import {readLockDocument} from './lock-read.js'
import type {WickerPaths} from './paths.js'

/** Cleared locks kept for a person to read: the newest few. */
export const KEEP_STALE = 3
/** A temp token older than this was left by a kill (a live process renames it within milliseconds). */
const TEMP_AGE_MS = 60_000

/**
 * Removes what killed processes left next to the lock: temp tokens, tokens and claims of processes
 * that are gone, and cleared locks beyond the newest KEEP_STALE. Runs while holding the lock, so the
 * lock is ours and none of these is in use; anything it cannot judge (another host's files, a file
 * it cannot read) stays. Best effort: a failure here never costs the lock. Returns a note, or null
 * when nothing was removed.
 */
export async function clearDebris(disk: Disk, paths: WickerPaths, ours: string): Promise<string | null> {
  let names: string[]
  try {
    names = await disk.readdir(paths.root)
  } catch {
    return null
  }
  const removed = {temp: 0, token: 0, claim: 0}
  const stale: Array<{name: string; at: number}> = []
  const remove = async (name: string, kind: keyof typeof removed) => {
    if (await disk.unlink(join(paths.root, name)).then(() => true, () => false)) removed[kind]++
  }
  for (const name of names) {
    const file = parseLockName(paths, name)
    if (!file || file.id === ours) continue
    const path = join(paths.root, name)
    try {
      if (file.kind === 'temp') {
        const stat = await disk.lstat(path)
        if (stat?.kind === 'file' && Date.now() - Number(stat.mtimeNs / 1_000_000n) > TEMP_AGE_MS) await remove(name, 'temp')
      } else if (file.kind === 'token') {
        if (ownTokens.has(file.id)) continue
        const doc = await readLockDocument(disk, path)
        if (doc?.kind === 'ok' && doc.info.lockId === file.id && isStale(doc.info)) await remove(name, 'token')
      } else if (file.kind === 'claim') {
        // the claim is the stale lock's token: only a process on its host can have made it
        const doc = await readLockDocument(disk, path)
        if (doc?.kind === 'ok' && doc.info.host === hostname() && claimantGone(file.pid, file.claimId)) await remove(name, 'claim')
      } else {
        const stat = await disk.lstat(path)
        if (stat?.kind === 'file') stale.push({name, at: Number(stat.mtimeNs / 1_000_000n)})
      }
    } catch {
      // gone meanwhile, or unreadable: leave it
    }
  }
  stale.sort((a, b) => b.at - a.at || (a.name < b.name ? -1 : 1))
  const old = stale.slice(KEEP_STALE)
  let staleRemoved = 0
  for (const {name} of old) if (await disk.unlink(join(paths.root, name)).then(() => true, () => false)) staleRemoved++

  const parts = [
    removed.temp && `${removed.temp} temp token(s)`,
    removed.token && `${removed.token} token(s) of processes that are gone`,
    removed.claim && `${removed.claim} claim(s) of processes that are gone`,
    staleRemoved && `${staleRemoved} older cleared lock(s)`,
  ].filter(Boolean)
  if (parts.length === 0) return null
  const kept = stale.slice(0, KEEP_STALE).map((s) => s.name)
  return `removed what killed processes left next to the lock in ${paths.root}: ${parts.join(', ')}${kept.length > 0 ? `; kept the newest ${kept.length} cleared lock(s) for reading: ${kept.join(', ')}` : ''}`
}
