import {isObject} from '../../json.js'
import {isBasketShaped, isCompactTuple, isEdForm} from '../basket-value.js'
import {isIdKey, readIdMap} from './id-map.js'
import type {ContainerFormat, PartRead} from './types.js'

/**
 * Baskets at the root under their LEGO ids (F1), the container read last: it also reads any
 * basket-shaped value left under another key, so that value's id is refused with its reason rather
 * than dropped. F11 and F12 are the same container with their own basket value form.
 */
/** Whether some value under a LEGO-id key passes `test` (every, when `all`; false with no such key). */
function idValues(root: unknown, test: (v: unknown) => boolean, all = false): boolean {
  if (!isObject(root)) return false
  let any = false
  for (const key of Object.keys(root)) {
    if (!isIdKey(key)) continue
    const pass = test(root[key])
    if (pass && !all) return true
    if (!pass && all) return false
    any = true
  }
  return all && any
}
const isEdValue = (v: unknown) => isEdForm(v) || isCompactTuple(v)
const isFlatValue = (v: unknown) => isObject(v) && Array.isArray(v.baskets) && typeof v.target === 'string'

const readRoot = (root: unknown): PartRead => readIdMap(root as Record<string, unknown>, '$', (key) => key)

/** F12: e/d form `{lego: [t, k], e, d}` or compact `[[t, k], e, [d…]]` values; pairs are [target, known]. */
export const f12: ContainerFormat = {
  id: 'F12',
  example: '{"S0004L02": {"lego": ["nolo", "we vask"], "e": [["nolo", "we vask"]], "d": {"2": [["nolo ta", "we vask it"]]}}}',
  recognise: (root) => idValues(root, isEdValue),
  read: readRoot,
}

/** F11: flat LEGO text with the phrases under `baskets`. */
export const f11: ContainerFormat = {
  id: 'F11',
  example: '{"S0004L02": {"known": "we vask", "target": "nolo", "baskets": [["we vask", "nolo", null, 1]]}}',
  recognise: (root) => idValues(root, isFlatValue, true),
  read: readRoot,
}

/** F1: LEGO id → basket, maybe beside metadata keys. */
export const f1: ContainerFormat = {
  id: 'F1',
  example: '{"agent": "a7", "S0004L02": {"lego": {"known": "we vask", "target": "nolo"}, "practice_phrases": [["we vask", "nolo", null, 1]]}}',
  recognise: (root) => isObject(root) && Object.keys(root).some((k) => isIdKey(k) || isBasketShaped(root[k])),
  read: readRoot,
}
