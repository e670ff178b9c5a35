import {LEGO_ID, SEED_ID, SHORT_LEGO_ID, legoIdsIn, looksLikeLegoId, seedIdsIn} from '../course/ids.js'
import {basketFromValue, isCompactTuple, isEdForm, type RawBasket} from './basket-value.js'
import {isObject} from '../json.js'

/**
 * The containers agents wrap baskets in (DOMAIN.md §3), recognised in a fixed order; the first that
 * matches reads the file. Anything no container matches is "not a basket file" (swarm uploads,
 * reports), which is skipped, not an error.
 */
export type FormatId = 'F1' | 'F2' | 'F2b' | 'F3' | 'F4' | 'F5' | 'F6' | 'F7' | 'F8' | 'F9' | 'F10' | 'F11' | 'F12' | 'F13' | 'F14'

export interface ContainerRead {
  format: FormatId
  baskets: RawBasket[]
  /** baskets that could not be read, with why */
  problems: Array<{path: string; message: string; kind?: 'bad-id'}>
}

export interface FileHints {
  /** the file's base name, for F7 (seed) and F9 (LEGO id) */
  name: string
}

const DIGITS = /^\d+$/

function fromMap(map: Record<string, unknown>, path: string, idOf: (key: string, value: unknown) => string | null, skip: (key: string) => boolean = () => false): Omit<ContainerRead, 'format'> {
  const baskets: RawBasket[] = []
  const problems: ContainerRead['problems'] = []
  for (const [key, value] of Object.entries(map)) {
    if (skip(key)) continue
    const basket = basketFromValue(idOf(key, value), value, `${path}.${key}`)
    if (typeof basket === 'string') problems.push({path: `${path}.${key}`, message: basket})
    else baskets.push(basket)
  }
  return {baskets, problems}
}

function innerId(value: unknown): string | null {
  if (!isObject(value)) return null
  const id = value.lego_id ?? value.legoId ?? value.id ?? value.basket_id
  return typeof id === 'string' ? id : null
}

/** LEGO ids in a file name: S0012L03 (full) or a seed S0012 (for short keys). */
function idsInName(name: string): {legos: string[]; seeds: string[]} {
  return {legos: legoIdsIn(name), seeds: seedIdsIn(name)}
}

function isPhraseLike(v: unknown): boolean {
  return (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') || (isObject(v) && (typeof v.target === 'string' || typeof v.known === 'string'))
}

/** Reads a parsed staging file; null when it is not a basket file. */
export function readContainer(root: unknown, hints: FileHints): ContainerRead | null {
  if (Array.isArray(root)) {
    if (root.length === 0 || !root.every(isPhraseLike)) return null
    const {legos} = idsInName(hints.name)
    if (legos.length !== 1) {
      return {format: 'F9', baskets: [], problems: [{path: '$', kind: 'bad-id', message: `a bare phrase list; the LEGO id must come from the file name, which names ${legos.length === 0 ? 'none' : `several (${legos.join(', ')})`}`}]}
    }
    return {format: 'F9', baskets: [{id: legos[0]!, path: '$', phrases: root, order: 'known-target', lego: null, form: null, base: null}], problems: []}
  }
  if (!isObject(root)) return null

  if (typeof root.basket_id === 'string') {
    const basket = basketFromValue(root.basket_id, root, '$')
    return typeof basket === 'string' ? {format: 'F8', baskets: [], problems: [{path: '$', message: basket}]} : {format: 'F8', baskets: [basket], problems: []}
  }
  if (isObject(root.seeds) && Object.keys(root.seeds).some((k) => SEED_ID.test(k))) {
    const baskets: RawBasket[] = []
    const problems: ContainerRead['problems'] = []
    for (const [seed, entry] of Object.entries(root.seeds)) {
      const legos = isObject(entry) ? entry.legos : undefined
      if (!isObject(legos)) {
        problems.push({path: `$.seeds.${seed}`, message: 'a seed without a "legos" object'})
        continue
      }
      const read = fromMap(legos, `$.seeds.${seed}.legos`, (key) => key)
      baskets.push(...read.baskets)
      problems.push(...read.problems)
    }
    return {format: 'F5', baskets, problems}
  }
  const wrapper = isObject(root.lego_baskets) ? 'lego_baskets' : isObject(root.phase5_baskets) ? 'phase5_baskets' : null
  if (wrapper) return {format: 'F10', ...fromMap(root[wrapper] as Record<string, unknown>, `$.${wrapper}`, (key) => key)}
  if (isObject(root.legos) && Object.keys(root.legos).some((k) => LEGO_ID.test(k))) {
    return {format: 'F4', ...fromMap(root.legos, '$.legos', (key) => key)}
  }
  if (Array.isArray(root.baskets)) {
    const baskets: RawBasket[] = []
    const problems: ContainerRead['problems'] = []
    root.baskets.forEach((value, i) => {
      const basket = basketFromValue(innerId(value), value, `$.baskets[${i}]`)
      if (typeof basket === 'string') problems.push({path: `$.baskets[${i}]`, message: basket})
      else baskets.push(basket)
    })
    return {format: 'F3', baskets, problems}
  }
  if (isObject(root.baskets)) {
    const read = fromMap(root.baskets, '$.baskets', (key) => key)
    return {format: Object.values(root.baskets).every(Array.isArray) ? 'F2b' : 'F2', ...read}
  }
  const keys = Object.keys(root)
  if (keys.length > 0 && keys.every((k) => DIGITS.test(k))) return {format: 'F6', ...fromMap(root, '$', (_key, value) => innerId(value))}
  if (keys.some((k) => SHORT_LEGO_ID.test(k))) {
    const {seeds} = idsInName(hints.name)
    const seed = seeds.length === 1 ? seeds[0]! : null
    return {format: 'F7', ...fromMap(root, '$', (key, value) => innerId(value) ?? (seed ? `${seed}${key}` : null), (k) => !SHORT_LEGO_ID.test(k))}
  }
  // Near-miss ids count too, so a file of malformed ids is read and each id refused with its reason.
  const idKeys = keys.filter(looksLikeLegoId)
  if (idKeys.length > 0) {
    const values = idKeys.map((k) => root[k])
    const format: FormatId = values.some((v) => isEdForm(v) || isCompactTuple(v)) ? 'F12' : values.every((v) => isObject(v) && Array.isArray(v.baskets) && typeof v.target === 'string') ? 'F11' : 'F1'
    // F1 keeps metadata keys beside the baskets; every other key must look like a LEGO id (or near one).
    return {format, ...fromMap(root, '$', (key) => key, (k) => !looksLikeLegoId(k) && !basketLike(root[k]))}
  }
  return null
}

function basketLike(v: unknown): boolean {
  return Array.isArray(v) || (isObject(v) && ('practice_phrases' in v || 'phrases' in v || isEdForm(v)))
}
