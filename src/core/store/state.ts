import {randomUUID} from 'node:crypto'

import {z} from 'zod'

import type {Disk} from './disk.js'
import type {WickerPaths} from './paths.js'

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

/** The state, or null when there is none or it is not one wicker wrote (a new lineage then starts: plans made before are refused as stale). */
export async function readState(disk: Disk, paths: WickerPaths): Promise<CanonState | null> {
  if (!disk.exists(paths.state)) return null
  try {
    return stateSchema.parse(JSON.parse((await disk.readFile(paths.state)).toString('utf8')))
  } catch {
    return null
  }
}

export function nextState(previous: CanonState | null, sha: string | null, tx: string): CanonState {
  return {lineage: previous?.lineage ?? randomUUID(), generation: (previous?.generation ?? 0) + 1, canonSha256: sha, lastTx: tx}
}

/** Writes state.json by temp file and rename. */
export async function writeState(disk: Disk, paths: WickerPaths, state: CanonState): Promise<void> {
  const temp = `${paths.state}.${state.lastTx ?? 'x'}.tmp`
  try {
    await disk.writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, {exclusive: false})
    await disk.rename(temp, paths.state)
  } catch (error) {
    // a full disk leaves the opened temp file behind; state.json itself is as it was
    await disk.unlink(temp).catch(() => undefined)
    throw error
  }
}
