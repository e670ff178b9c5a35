import {dirname} from 'node:path'

import {isObject} from '../json.js'
import {CANON_FORMAT, canonIndexSchema, type CanonIndex} from '../schemas/canon-index.js'
import {readJsonCache} from '../store/read-json.js'
import {writeInside} from '../store/wicker-folder.js'

export {CANON_FORMAT, type CanonIndex}

/**
 * The canon index, when it vouches for canon bytes of this sha256; else null: none, or one for other
 * bytes (canon changed outside wicker), and canon is parsed in full. One that is damaged (not a
 * small regular file, not JSON, failing its schema) is ignored the same way, and said so in `warnings`.
 */
export async function readCanonIndex(file: string, sha256: string | null, warnings?: string[]): Promise<CanonIndex | null> {
  if (sha256 === null) return null
  const read = await readJsonCache(file, canonIndexSchema, {maxBytes: 1 << 20})
  if (!read) return null
  if (!read.ok) {
    // one from another wicker's layout is simply not for these bytes
    const other = isObject(read.value) && read.value.kind === 'wicker/canon-index' && read.value.format !== CANON_FORMAT
    if (!other) warnings?.push(`${file} is not usable (${read.problem}): ignored, canon is read in full; the next merge rewrites it`)
    return null
  }
  return read.value.sha256 === sha256 ? read.value : null
}

/**
 * Best effort: a canon index that cannot be written only makes the next read slower. It lives in
 * <course>/.wicker/, written there only through real folders.
 */
export async function writeCanonIndex(file: string, index: Omit<CanonIndex, 'kind' | 'format'>, courseDir = dirname(dirname(file))): Promise<boolean> {
  const value: CanonIndex = {kind: 'wicker/canon-index', format: CANON_FORMAT, ...index}
  return writeInside(courseDir, file, `${JSON.stringify(value)}\n`, {durable: false}).then(
    () => true,
    () => false,
  )
}
