import type {ArrayOrder} from './phrases.js'
import {isObject} from '../json.js'

/**
 * One basket as found inside a container, before its phrases are read: where its phrases are, in
 * which array order, and any LEGO text it carries (reported when it differs, never used).
 */
export interface RawBasket {
  /** id as found, or null when only the file name can tell */
  id: string | null
  /** JSON path of the basket in the file */
  path: string
  phrases: unknown
  order: ArrayOrder
  lego: {known: string; target: string} | null
  /** the basket's shape when it is one of the special value forms */
  form: 'F2b' | 'F11' | 'F12' | null
  /** hash of the canon basket this one replaces (regeneration), when the basket says so */
  base: string | null
}

const isPair = (v: unknown): v is [string, string] => Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string'

function legoOf(v: Record<string, unknown>, order: ArrayOrder): RawBasket['lego'] {
  const lego = v.lego ?? v.lego_pair
  if (isObject(lego) && typeof lego.target === 'string') return {known: typeof lego.known === 'string' ? lego.known : typeof lego.english === 'string' ? lego.english : '', target: lego.target}
  if (isPair(lego)) return order === 'known-target' ? {known: lego[0], target: lego[1]} : {known: lego[1], target: lego[0]}
  if (typeof v.known === 'string' && typeof v.target === 'string') return {known: v.known, target: v.target}
  return null
}

/** Compact e/d tuple: [[target, known], e[], [d2, d3, d4, d5]]. */
export function isCompactTuple(v: unknown): v is [unknown, unknown[], unknown[]] {
  return Array.isArray(v) && v.length === 3 && isPair(v[0]) && Array.isArray(v[1]) && Array.isArray(v[2]) && v[2].every((d) => Array.isArray(d))
}

export function isEdForm(v: unknown): boolean {
  return isObject(v) && (Array.isArray(v.e) || isObject(v.d))
}

/** One phrase item of any shape: [text, text, …], or an object with labelled or language-named sides. */
function isPhraseItem(v: unknown): boolean {
  if (Array.isArray(v)) return typeof v[0] === 'string' && typeof v[1] === 'string'
  return isObject(v) && (typeof v.known === 'string' || typeof v.target === 'string' || typeof v.english === 'string' || isObject(v.phrase))
}

/**
 * Whether a value is a basket, whatever its key: a basket object (practice_phrases, phrases, e/d,
 * F11's flat LEGO text with `baskets`), a compact tuple, or a non-empty list of phrase items. A list
 * of strings or numbers (`cumulative_patterns: ["P01"]`, `seedRange: [1, 5]`) is metadata.
 */
export function isBasketShaped(v: unknown): boolean {
  if (isCompactTuple(v)) return true
  if (Array.isArray(v)) return v.length > 0 && v.every(isPhraseItem)
  if (!isObject(v)) return false
  return 'practice_phrases' in v || 'phrases' in v || isEdForm(v) || (Array.isArray(v.baskets) && typeof v.target === 'string')
}

/** Reads a basket value of any form: standard object, F2b phrase array, F11 flat, F12 e/d or compact. */
export function basketFromValue(id: string | null, value: unknown, path: string): RawBasket | string {
  if (isCompactTuple(value)) {
    const [lego, e, d] = value
    return {id, path, phrases: [...e, ...d.flat()], order: 'target-known', lego: {known: (lego as string[])[1]!, target: (lego as string[])[0]!}, form: 'F12', base: null}
  }
  if (Array.isArray(value)) return {id, path, phrases: value, order: 'known-target', lego: null, form: 'F2b', base: null}
  if (!isObject(value)) return `expected a basket object, found ${value === null ? 'null' : typeof value}`
  const base = typeof value.base_hash === 'string' ? value.base_hash : typeof value._base === 'string' ? value._base : null
  if (isEdForm(value)) {
    const e = Array.isArray(value.e) ? value.e : []
    const d = isObject(value.d) ? Object.keys(value.d).sort().flatMap((k) => (Array.isArray((value.d as Record<string, unknown>)[k]) ? ((value.d as Record<string, unknown>)[k] as unknown[]) : [])) : []
    return {id, path, phrases: [...e, ...d], order: 'target-known', lego: legoOf(value, 'target-known'), form: 'F12', base}
  }
  const phrases = value.practice_phrases ?? value.phrases ?? value.baskets
  if (phrases === undefined) return 'no practice_phrases in the basket'
  const flat = value.practice_phrases === undefined && value.phrases === undefined && Array.isArray(value.baskets)
  return {id, path, phrases, order: 'known-target', lego: legoOf(value, 'known-target'), form: flat ? 'F11' : null, base}
}
