import {randomUUID} from 'node:crypto'
import {dirname} from 'node:path'

import {BlockedError, errnoOf, InputError, ioError, type ErrorInfo} from '../errors.js'
import {stateSchema, type CanonState} from '../schemas/state.js'
import {jsonText, writeFileAtomic} from './atomic-write.js'
import type {Disk} from './disk.js'
import type {WickerPaths} from './paths.js'
import {checkedJson, parseJsonBytes} from './read-json.js'
import {makeRealFolder} from './wicker-folder.js'

export type {CanonState}

export interface ReadStateOptions {
  /**
   * read-only commands (preview, status): a damaged state.json is reported here and read as no
   * state (a plan made now records no lineage, so merge refuses it until the state is mended).
   * Without it, a damaged state.json is refused: a writer would start a new lineage over it.
   */
  warnings?: string[]
}

/**
 * The state, or null when there is none (ENOENT). A state.json that cannot be read (EACCES, EIO,
 * a folder) is an I/O failure, exit 4: taken for "no state", it would start a new lineage and
 * number backups from 1 again. One that is not what wicker writes (not JSON, a field of the wrong
 * type, NUL bytes…) is damage to wicker's own record: refused, exit 3, naming the file, the place
 * and the way out, and nothing is written.
 */
export async function readState(disk: Disk, paths: WickerPaths, options: ReadStateOptions = {}): Promise<CanonState | null> {
  let bytes: Buffer
  try {
    bytes = await disk.readFile(paths.state)
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null
    throw ioError(error, paths.state, 'read')
  }
  const hint = `state.json records which canon this is, and the next merge or restore writes a new one. Check that ${dirname(paths.root)} holds the canon you want, then move ${paths.state} aside (e.g. to state.json.damaged) and run the command again: a new lineage starts, and plans made before it are refused as stale.`
  const damaged = (info: ErrorInfo) => new BlockedError({...info, code: 'E_STATE_DAMAGED', hint})
  try {
    let value: unknown
    try {
      value = parseJsonBytes(bytes, paths.state, 'wicker state')
    } catch (error) {
      if (error instanceof InputError) throw damaged(error.toJSON())
      throw error
    }
    return checkedJson(value, paths.state, stateSchema, {what: 'wicker state', code: 'E_STATE_DAMAGED', hint, refuse: damaged})
  } catch (error) {
    if (!options.warnings || !(error instanceof BlockedError)) throw error
    options.warnings.push(`${error.message} It was read as no state; merge refuses to write until it is mended (${hint})`)
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
