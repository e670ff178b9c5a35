import {InputError} from '../errors.js'
import {LEGO_ID, LEGO_ID_FORM, SEED_ID, SEED_ID_FORM} from './ids.js'
import type {CourseFinding, LegoPairsShape} from './model.js'
import {isObject} from '../json.js'

/**
 * First pass over lego_pairs.json: recognise the shape (LP-A…LP-E) and pull out seeds and LEGOs
 * with their text still as found. Array pairs keep both sides unassigned until orientation is
 * resolved for the whole file.
 */
export type RawPair = {kind: 'labelled'; known: string; target: string} | {kind: 'array'; first: string; second: string}

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

/** A pair given as {known, target}, {english, …}, or [a, b]. */
export function readPair(v: Json): RawPair | null {
  if (Array.isArray(v)) {
    const first = str(v[0])
    const second = str(v[1])
    return first !== null && second !== null ? {kind: 'array', first, second} : null
  }
  if (isObject(v)) {
    const known = str(v.known ?? v.english ?? v.source)
    const target = str(v.target)
    return known !== null && target !== null ? {kind: 'labelled', known, target} : null
  }
  return null
}

function readComponents(v: Json): RawPair[] {
  if (!Array.isArray(v)) return []
  const out: RawPair[] = []
  for (const c of v) {
    if (typeof c === 'string') out.push({kind: 'labelled', known: '', target: c})
    else {
      const pair = readPair(isObject(c) && c.lego !== undefined ? c.lego : c)
      if (pair) out.push(pair)
    }
  }
  return out
}

function looksLikeBasket(v: Json): boolean {
  return isObject(v) && ('practice_phrases' in v || 'phrases' in v || 'e' in v) && !('lego' in v && isObject(v.lego) && 'id' in v)
}

function readNew(v: Json): boolean | null {
  return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : null
}

function labelledLego(item: Json, seedId: string, index: number, findings: CourseFinding[]): RawLego | null {
  const where = `seed ${seedId}, legos[${index}]`
  if (!isObject(item)) {
    findings.push({kind: 'bad-lego', seed: seedId, message: `${where} is ${describe(item)}, not a LEGO object; skipped.`})
    return null
  }
  const id = str(item.id ?? item.lego_id ?? item.legoId)
  if (looksLikeBasket(item) && !(isObject(item.lego) || typeof item.target === 'string')) {
    findings.push({kind: 'broken-seed', seed: seedId, lego: id ?? undefined, message: `${where} holds a practice basket, not a LEGO; skipped.`})
    return null
  }
  const pair = readPair(item.lego ?? item.lego_pair ?? item) ?? readPair(item)
  if (id === null || pair === null) {
    findings.push({kind: 'bad-lego', seed: seedId, lego: id ?? undefined, message: `${where} has no ${id === null ? 'id' : 'known/target text'}; skipped.`})
    return null
  }
  return {id, type: str(item.type) ?? '', isNew: readNew(item.new ?? item.is_new), pair, components: readComponents(item.components)}
}

function compactLego(item: Json, seedId: string, index: number, findings: CourseFinding[]): RawLego | null {
  if (isObject(item)) return labelledLego(item, seedId, index, findings)
  if (!Array.isArray(item) || str(item[0]) === null || str(item[2]) === null || str(item[3]) === null) {
    findings.push({kind: 'bad-lego', seed: seedId, message: `seed ${seedId}, LEGO ${index}: expected [lego_id, type, text, text, components?], found ${describe(item)}; skipped.`})
    return null
  }
  const flag = item.slice(4).find((v) => typeof v === 'boolean') as boolean | undefined
  const components = item.slice(4).find((v) => Array.isArray(v))
  return {
    id: str(item[0])!,
    type: str(item[1]) ?? '',
    isNew: flag ?? null,
    pair: {kind: 'array', first: str(item[2])!, second: str(item[3])!},
    components: readComponents(components),
  }
}

function seedLegos(list: Json, seedId: string, read: typeof labelledLego, findings: CourseFinding[]): RawLego[] {
  if (isObject(list)) {
    // A map of LEGO ids to baskets where the LEGO array should be: a broken seed.
    const ids = Object.keys(list)
    findings.push({kind: 'broken-seed', seed: seedId, message: `seed ${seedId}: "legos" is an object of ${ids.length} entries (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}), probably basket payloads; its LEGOs were not loaded.`})
    return []
  }
  if (!Array.isArray(list)) {
    findings.push({kind: 'broken-seed', seed: seedId, message: `seed ${seedId} has no LEGO array (found ${describe(list)}); its LEGOs were not loaded.`})
    return []
  }
  const out: RawLego[] = []
  list.forEach((item, i) => {
    const lego = read(item, seedId, i, findings)
    if (lego) out.push(lego)
  })
  return out
}

function objectSeed(item: Record<string, Json>, index: number, findings: CourseFinding[]): RawSeed | null {
  const id = str(item.seed_id ?? item.seedId ?? item.id)
  if (id === null) {
    findings.push({kind: 'broken-seed', message: `seeds[${index}] has no seed_id; skipped.`})
    return null
  }
  const pair = readPair(item.seed_pair ?? item.seedPair ?? item.pair)
  return {id, pair, legos: seedLegos(item.legos ?? item.lego_pairs, id, labelledLego, findings)}
}

function compactSeed(item: Json, index: number, findings: CourseFinding[]): RawSeed | null {
  if (isObject(item)) return objectSeed(item, index, findings)
  if (!Array.isArray(item) || str(item[0]) === null) {
    findings.push({kind: 'broken-seed', message: `seeds[${index}] should be [seed_id, [text, text], [LEGOs…]], found ${describe(item)}; skipped.`})
    return null
  }
  const id = str(item[0])!
  return {id, pair: readPair(item[1]), legos: seedLegos(item[2], id, compactLego, findings)}
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
  let courseName: string | null = null
  if (Array.isArray(value)) {
    shape = 'LP-D'
    items = value
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
    }
  } else {
    rejectShape(file, `the file holds ${describe(value)}`)
  }
  const seeds: RawSeed[] = []
  items.forEach((item, i) => {
    const seed = shape === 'LP-C' || shape === 'LP-D' ? compactSeed(item, i, findings) : isObject(item) ? objectSeed(item, i, findings) : null
    if (seed) seeds.push(seed)
    else if (!isObject(item) && shape !== 'LP-C' && shape !== 'LP-D') findings.push({kind: 'broken-seed', message: `seeds[${i}] is ${describe(item)}, not a seed; skipped.`})
  })
  for (const seed of seeds) {
    if (!SEED_ID.test(seed.id)) findings.push({kind: 'bad-id', seed: seed.id, message: `seed id ${JSON.stringify(seed.id)} does not match ${SEED_ID_FORM}.`})
    for (const lego of seed.legos) {
      if (!LEGO_ID.test(lego.id)) findings.push({kind: 'bad-id', seed: seed.id, lego: lego.id, message: `LEGO id ${JSON.stringify(lego.id)} does not match ${LEGO_ID_FORM}.`})
    }
  }
  return {shape, courseName, seeds, findings}
}
