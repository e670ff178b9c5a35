import {randomUUID} from 'node:crypto'
import {dirname} from 'node:path'

import {z} from 'zod'

import {errnoOf, ioError} from '../errors.js'
import {jsonText, writeFileAtomic} from './atomic-write.js'
import type {Disk} from './disk.js'
import type {WickerPaths} from './paths.js'
import {makeRealFolder} from './wicker-folder.js'

/** .wicker/state.json: which canon this is (lineage), how many transactions it has seen, its hash. */
export interface CanonState {
  lineage: string
  generation: number
  canonSha256: string | null
  lastTx: string | null
}

// state.json is in the course folder, so untrusted: its generation names backup files.
const stateSchema = z.object({
  lineage: z.string().max(128),
  generation: z.int().min(0).max(999_999),
  canonSha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  lastTx: z.string().max(200).nullable(),
})

/**
 * The state, or null when there is none (ENOENT) or it is not one wicker wrote (a new lineage then
 * starts: plans made before are refused as stale). A state.json that cannot be read (EACCES, EIO,
 * a folder) is an I/O failure, exit 4: taken for "no state", it would start a new lineage and
 * number backups from 1 again.
 */
export async function readState(disk: Disk, paths: WickerPaths): Promise<CanonState | null> {
  let bytes: Buffer
  try {
    bytes = await disk.readFile(paths.state)
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null
    throw ioError(error, paths.state, 'read')
  }
  try {
    return stateSchema.parse(JSON.parse(bytes.toString('utf8')))
  } catch {
    return null
  }
}

export function nextState(previous: CanonState | null, sha: string | null, tx: string): CanonState {
  return {lineage: previous?.lineage ?? randomUUID(), generation: (previous?.generation ?? 0) + 1, canonSha256: sha, lastTx: tx}
}

/**
 * Writes state.json whole, in a real .wicker folder: a random temp name created exclusively, then a
 * rename (a temp name derived from the journal's tx could be planted as a symlink ahead).
 */
export async function writeState(disk: Disk, paths: WickerPaths, state: CanonState): Promise<void> {
  await makeRealFolder(dirname(paths.root), paths.root, disk)
  await writeFileAtomic(paths.state, jsonText(state), {disk})
}
