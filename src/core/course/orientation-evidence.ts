import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {isObject} from '../json.js'
import {decodeStaging} from '../staging/decode.js'
import {readStagingFile} from '../staging/read.js'
import {scanStaging} from '../staging/scan.js'
import {STAGING_DIRS} from '../store/paths.js'
import {readJsonFile} from '../store/read-json.js'
import {isLegoId} from '../ids.js'
import type {TextPair} from './model.js'

/**
 * The labelled LEGO text that canon and staging hold, by LEGO id: evidence for the order of array
 * pairs in lego_pairs.json (orientation.ts). Read only when the stronger evidence did not decide.
 * Only `lego: {known, target}` objects count; a `lego` given as an array has the same ambiguity.
 */

const labelledLego = (v: unknown): TextPair | null => (isObject(v) && isObject(v.lego) && typeof v.lego.known === 'string' && typeof v.lego.target === 'string' ? {known: v.lego.known, target: v.lego.target} : null)

/** Baskets keyed by id in canon: under `baskets`, a `data` wrapper, or at the top level (strays). */
export async function canonLegoText(file: string): Promise<Map<string, TextPair> | null> {
  if (!existsSync(file)) return null
  let value: unknown
  try {
    value = (await readJsonFile(file, 'Canon file')).value
  } catch {
    // a canon that cannot be read is no evidence; the command reading canon reports it
    return null
  }
  if (!isObject(value)) return null
  const out = new Map<string, TextPair>()
  const data = isObject(value.data) ? value.data : null
  for (const container of [value.baskets, data?.baskets, data, value]) {
    if (!isObject(container)) continue
    for (const [id, basket] of Object.entries(container)) {
      const lego = isLegoId(id) ? labelledLego(basket) : null
      if (lego && !out.has(id)) out.set(id, lego)
    }
  }
  return out
}

/**
 * Enough to judge by: staging is read until this many labelled LEGOs were found, or this many files
 * read (every command loads the course; a staging of thousands of files without a labelled `lego`
 * must not be read whole each time).
 */
const ENOUGH = 200
const MAX_FILES = 300
/** Nesting searched in a staging file (containers F1–F17 hold their baskets within 3 levels). */
const DEPTH = 4

function collect(value: unknown, key: string | null, depth: number, out: Map<string, TextPair>): void {
  if (depth > DEPTH) return
  if (Array.isArray(value)) {
    for (const v of value) collect(v, null, depth + 1, out)
    return
  }
  if (!isObject(value)) return
  const id = [key, value.lego_id, value.legoId, value.id, value.basket_id].find((v): v is string => typeof v === 'string' && isLegoId(v))
  const lego = id ? labelledLego(value) : null
  if (id && lego && !out.has(id)) out.set(id, lego)
  for (const [k, v] of Object.entries(value)) if (k !== 'lego' && typeof v === 'object') collect(v, k, depth + 1, out)
}

/**
 * Labelled `lego` text in the course's staging folders, read the way extract reads them (symlinks
 * and temp files skipped, a FIFO never opened, strict UTF-8); files it cannot read are passed over.
 */
export async function stagingLegoText(courseDir: string, maxFileSize = 50 * 1024 * 1024): Promise<Map<string, TextPair> | null> {
  const dirs = STAGING_DIRS.map((d) => join(courseDir, d)).filter((d) => existsSync(d))
  if (dirs.length === 0) return null
  const out = new Map<string, TextPair>()
  const scan = await scanStaging(dirs, courseDir)
  for (const entry of scan.files.slice(0, MAX_FILES)) {
    if (out.size >= ENOUGH) break
    if (entry.size > maxFileSize) continue
    let bytes: Buffer | 'being-written'
    try {
      bytes = await readStagingFile(entry)
    } catch {
      // gone, replaced or unreadable: no evidence (extract reports such files)
      continue
    }
    if (bytes === 'being-written') continue
    const decoded = await decodeStaging(bytes, {repair: false})
    if (decoded.ok) collect(decoded.value, null, 0, out)
  }
  return out
}
