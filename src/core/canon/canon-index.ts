import {dirname} from 'node:path'

import {isObject} from '../json.js'
import {readCourseFile} from '../store/read-file.js'
import {writeInside} from '../store/wicker-folder.js'

/**
 * .wicker/canon-index.json: written after each merge, it names by sha256 the canon bytes wicker
 * serialised (so their layout is known, see layout.ts) and lists the few baskets with no usable
 * phrase (so coverage needs no parse). It is a cache: one that is missing, unreadable, from another
 * format or for other bytes is ignored, and canon is parsed in full.
 */
export interface CanonIndex {
  kind: 'wicker/canon-index'
  /** the layout version; a wicker that writes canon differently changes it */
  format: typeof CANON_FORMAT
  sha256: string
  baskets: number
  /** ids of baskets without a usable phrase */
  uncovered: string[]
}

export const CANON_FORMAT = 1

export async function readCanonIndex(file: string, sha256: string | null): Promise<CanonIndex | null> {
  if (sha256 === null) return null
  let value: unknown
  try {
    // a cache that is not a small regular file is ignored like a missing one
    value = JSON.parse((await readCourseFile(file, {maxBytes: 1 << 20})).toString('utf8'))
  } catch {
    return null
  }
  if (!isObject(value) || value.kind !== 'wicker/canon-index' || value.format !== CANON_FORMAT || value.sha256 !== sha256) return null
  if (typeof value.baskets !== 'number' || !Array.isArray(value.uncovered) || !value.uncovered.every((id) => typeof id === 'string')) return null
  return value as unknown as CanonIndex
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
