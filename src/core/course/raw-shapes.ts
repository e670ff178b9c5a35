import {InputError} from '../errors.js'
import {LEGO_ID, LEGO_ID_FORM, SEED_ID, SEED_ID_FORM} from '../ids.js'
import type {CourseFinding, LegoPairsShape} from './model.js'
import {isObject} from '../json.js'

/**
 * First pass over lego_pairs.json: recognise the shape (LP-A…LP-E) and pull out seeds and LEGOs
 * with their text still as found. Array pairs keep both sides unassigned until orientation is
 * resolved for the whole file.
 */
export type RawPair = {kind: 'labelled'; known: string; target: string} | {kind: 'array'; first: string; second: string; path: string}

export interface RawLego {
  id: string
  type: string
  isNew: boolean | null
  pair: RawPair
  components: RawPair[]
}

export interface RawSeed {
  id: string
  pair: RawPair | null
  legos: RawLego[]
  /** basket payloads found where the LEGOs belong: not LEGOs, but maybe the only copy of a basket */
  payloads: RawPayload[]
}

/** A practice basket written into a seed's `legos` (DOMAIN.md §1.2, broken input). */
export interface RawPayload {
  seedId: string
  id: string | null
  /** JSON path of the item in lego_pairs.json */
  path: string
  lego: RawPair | null
  /** the phrases as found (any phrase shape), or undefined when the item has none */
  phrases: unknown
}

export interface RawCourse {
  shape: LegoPairsShape
  courseName: string | null
  seeds: RawSeed[]
  findings: CourseFinding[]
}

type Json = unknown
const str = (v: Json): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null)

function describe(v: Json): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

/** A pair given as {known, target}, {english, …}, or [a, b] (at `path`, kept for messages). */
export function readPair(v: Json, path = '$'): RawPair | null {
  if (Array.isArray(v)) {
    const first = str(v[0])
    const second = str(v[1])
    return first !== null && second !== null ? {kind: 'array', first, second, path} : null
  }
  if (isObject(v)) {
    const known = str(v.known ?? v.english ?? v.source)
    const target = str(v.target)
    return known !== null && target !== null ? {kind: 'labelled', known, target} : null
  }
  return null
}

function readComponents(v: Json, path: string): RawPair[] {
  if (!Array.isArray(v)) return []
  const out: RawPair[] = []
  v.forEach((c, i) => {
    if (typeof c === 'string') out.push({kind: 'labelled', known: '', target: c})
    else {
      const inner = isObject(c) && c.lego !== undefined
      const pair = readPair(inner ? c.lego : c, `${path}[${i}]${inner ? '.lego' : ''}`)
      if (pair) out.push(pair)
    }
  })
  return out
}

const PHRASE_KEYS = ['practice_phrases', 'phrases', 'e'] as const

/**
 * A basket payload where a LEGO belongs: `{lego_id|id, lego, practice_phrases}` or `{id, lego}`,
 * with no `new` flag. A LEGO carries `new` (or at least `type`/`components`) and no phrases; these
 * items carry a basket's fields, so loading them as LEGOs would invent LEGOs (and their `new`).
 */
function isBasketPayload(v: Record<string, Json>): boolean {
  if (v.new !== undefined || v.is_new !== undefined) return false
  if (PHRASE_KEYS.some((k) => k in v)) return true
  return v.lego !== undefined && v.type === undefined && v.components === undefined
}

function payloadOf(v: Record<string, Json>, id: string | null, seedId: string, path: string): RawPayload {
  const key = PHRASE_KEYS.find((k) => k in v)
  return {seedId, id, path, lego: readPair(v.lego ?? v.lego_pair, `${path}.lego`), phrases: key ? v[key] : undefined}
}

function readNew(v: Json): boolean | null {
  return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : null
}

type ItemRead = RawLego | RawPayload | null

const isPayload = (v: RawLego | RawPayload): v is RawPayload => 'phrases' in v

function labelledLego(item: Json, seedId: string, index: number, path: string, findings: CourseFinding[]): ItemRead {
  const where = `seed ${seedId}, legos[${index}]`
  if (!isObject(item)) {
    findings.push({kind: 'bad-lego', seed: seedId, message: `${where} is ${describe(item)}, not a LEGO object; skipped.`})
    return null
  }
  const id = str(item.id ?? item.lego_id ?? item.legoId)
  if (isBasketPayload(item)) return payloadOf(item, id, seedId, path)
  const pairKey = item.lego !== undefined ? 'lego' : item.lego_pair !== undefined ? 'lego_pair' : null
  const pair = (pairKey ? readPair(item[pairKey], `${path}.${pairKey}`) : null) ?? readPair(item, path)
  if (id === null || pair === null) {
    findings.push({kind: 'bad-lego', seed: seedId, lego: id ?? undefined, message: `${where} has no ${id === null ? 'id' : 'known/target text'}; skipped.`})
    return null
  }
  return {id, type: str(item.type) ?? '', isNew: readNew(item.new ?? item.is_new), pair, components: readComponents(item.components, `${path}.components`)}
}

function compactLego(item: Json, seedId: string, index: number, path: string, findings: CourseFinding[]): ItemRead {
  if (isObject(item)) return labelledLego(item, seedId, index, path, findings)
  if (!Array.isArray(item) || str(item[0]) === null || str(item[2]) === null || str(item[3]) === null) {
    findings.push({kind: 'bad-lego', seed: seedId, message: `seed ${seedId}, LEGO ${index}: expected [lego_id, type, text, text, components?], found ${describe(item)}; skipped.`})
    return null
  }
  const flag = item.slice(4).find((v) => typeof v === 'boolean') as boolean | undefined
  const at = item.findIndex((v, i) => i >= 4 && Array.isArray(v))
  return {
    id: str(item[0])!,
    type: str(item[1]) ?? '',
    isNew: flag ?? null,
    pair: {kind: 'array', first: str(item[2])!, second: str(item[3])!, path},
    components: at < 0 ? [] : readComponents(item[at], `${path}[${at}]`),
  }
}

const payloadNote = 'not LEGOs, so they were left out of the course; their phrases can be read with `wicker extract --from-lego-pairs`'

function seedLegos(list: Json, seedId: string, path: string, read: typeof labelledLego, findings: CourseFinding[]): {legos: RawLego[]; payloads: RawPayload[]} {
  if (isObject(list)) {
    // A map of LEGO ids to baskets where the LEGO array should be: every entry is a basket payload.
    const payloads = Object.entries(list).map(([key, v]) => (isObject(v) ? payloadOf(v, key, seedId, `${path}.${key}`) : {seedId, id: key, path: `${path}.${key}`, lego: null, phrases: v}))
    const ids = Object.keys(list)
    findings.push({kind: 'broken-seed', seed: seedId, items: ids.length, message: `seed ${seedId}: "legos" (${path}) is an object of ${ids.length} basket payload(s) (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}), ${payloadNote}.`})
    return {legos: [], payloads}
  }
  if (!Array.isArray(list)) {
    findings.push({kind: 'broken-seed', seed: seedId, items: 0, message: `seed ${seedId} has no LEGO array at ${path} (found ${describe(list)}); its LEGOs were not loaded.`})
    return {legos: [], payloads: []}
  }
  if (list.length === 0) {
    findings.push({kind: 'empty-seed', seed: seedId, message: `seed ${seedId} has no LEGOs (${path} is []).`})
    return {legos: [], payloads: []}
  }
  const legos: RawLego[] = []
  const payloads: RawPayload[] = []
  list.forEach((item, i) => {
    const got = read(item, seedId, i, `${path}[${i}]`, findings)
    if (got === null) return
    if (isPayload(got)) payloads.push(got)
    else legos.push(got)
  })
  if (payloads.length > 0) {
    const ids = payloads.map((p) => p.id ?? '(no id)')
    findings.push({kind: 'broken-seed', seed: seedId, items: payloads.length, message: `seed ${seedId}: ${payloads.length} of ${list.length} item(s) in ${path} are basket payloads (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}: no "new" flag, a basket's fields), ${payloadNote}.`})
  }
  return {legos, payloads}
}

function objectSeed(item: Record<string, Json>, index: number, path: string, findings: CourseFinding[]): RawSeed | null {
  const id = str(item.seed_id ?? item.seedId ?? item.id)
  if (id === null) {
    findings.push({kind: 'broken-seed', message: `${path} has no seed_id; skipped.`})
    return null
  }
  const pairKey = ['seed_pair', 'seedPair', 'pair'].find((k) => item[k] !== undefined) ?? 'seed_pair'
  const legoKey = item.legos !== undefined ? 'legos' : 'lego_pairs'
  return {id, pair: readPair(item[pairKey], `${path}.${pairKey}`), ...seedLegos(item[legoKey], id, `${path}.${legoKey}`, labelledLego, findings)}
}

function compactSeed(item: Json, index: number, path: string, findings: CourseFinding[]): RawSeed | null {
  if (isObject(item)) return objectSeed(item, index, path, findings)
  if (!Array.isArray(item) || str(item[0]) === null) {
    findings.push({kind: 'broken-seed', message: `${path} should be [seed_id, [text, text], [LEGOs…]], found ${describe(item)}; skipped.`})
    return null
  }
  const id = str(item[0])!
  return {id, pair: readPair(item[1], `${path}[1]`), ...seedLegos(item[2], id, `${path}[2]`, compactLego, findings)}
}

function rejectShape(file: string, found: string): never {
  throw new InputError({
    code: 'E_INPUT_LEGO_PAIRS',
    message: `${file} is not a lego_pairs file wicker recognises: ${found}.`,
    hint: 'Expected {seeds: [...]} (labelled or compact), a bare array of compact seeds, or a map of seed ids (S0001…) to {seed_pair, lego_pairs}. Check that this is the course\'s lego_pairs.json.',
    details: {file},
  })
}

export function readRawCourse(value: Json, file: string): RawCourse {
  const findings: CourseFinding[] = []
  let shape: LegoPairsShape
  let items: Json[]
  /** JSON path of each item, for messages (LP-E items are keyed by seed id) */
  let itemPath: (i: number) => string = (i) => `$.seeds[${i}]`
  let courseName: string | null = null
  if (Array.isArray(value)) {
    shape = 'LP-D'
    items = value
    itemPath = (i) => `$[${i}]`
  } else if (isObject(value)) {
    courseName = str(value.course ?? value.course_code ?? value.courseCode)
    if (Array.isArray(value.seeds)) {
      items = value.seeds
      const first = items.find((s) => s !== null && s !== undefined)
      if (Array.isArray(first)) shape = 'LP-C'
      else {
        const lego = isObject(first) && Array.isArray(first.legos) ? first.legos.find(isObject) : undefined
        shape = lego && !isObject(lego.lego) && typeof lego.target === 'string' ? 'LP-B' : 'LP-A'
      }
    } else {
      const seedKeys = Object.keys(value).filter((k) => SEED_ID.test(k))
      if (seedKeys.length === 0) rejectShape(file, `an object with keys ${Object.keys(value).slice(0, 6).map((k) => JSON.stringify(k)).join(', ') || '(none)'} and no "seeds"`)
      shape = 'LP-E'
      items = seedKeys.map((k) => (isObject(value[k]) ? {seed_id: k, ...(value[k] as object)} : value[k]))
      itemPath = (i) => `$.${seedKeys[i]}`
    }
  } else {
    rejectShape(file, `the file holds ${describe(value)}`)
  }
  const seeds: RawSeed[] = []
  items.forEach((item, i) => {
    const seed = shape === 'LP-C' || shape === 'LP-D' ? compactSeed(item, i, itemPath(i), findings) : isObject(item) ? objectSeed(item, i, itemPath(i), findings) : null
    if (seed) seeds.push(seed)
    else if (!isObject(item) && shape !== 'LP-C' && shape !== 'LP-D') findings.push({kind: 'broken-seed', message: `${itemPath(i)} is ${describe(item)}, not a seed; skipped.`})
  })
  for (const seed of seeds) {
    if (!SEED_ID.test(seed.id)) findings.push({kind: 'bad-id', seed: seed.id, message: `seed id ${JSON.stringify(seed.id)} does not match ${SEED_ID_FORM}.`})
    for (const lego of seed.legos) {
      if (!LEGO_ID.test(lego.id)) findings.push({kind: 'bad-id', seed: seed.id, lego: lego.id, message: `LEGO id ${JSON.stringify(lego.id)} does not match ${LEGO_ID_FORM}.`})
    }
  }
  return {shape, courseName, seeds, findings}
}
