import {isObject} from '../../json.js'
import {DIGITS, innerId, readIdMap} from './id-map.js'
import type {ContainerFormat} from './types.js'

/** The values under digit keys: an array spread into an object ({"0": …, "1": …}). */
export const digitValues = (root: unknown): unknown[] => (isObject(root) ? Object.keys(root).filter((k) => DIGITS.test(k)).map((k) => root[k]) : [])

/** F6: numeric keys, each basket with its LEGO id inside. */
export const f6: ContainerFormat = {
  id: 'F6',
  example: '{"0": {"legoId": "S0004L02", "lego": {"known": "we vask", "target": "nolo"}, "practice_phrases": [["we vask", "nolo"]]}, "1": …}',
  recognise: (root) => digitValues(root).some((v) => innerId(v) !== null),
  read: (root) => readIdMap(root as Record<string, unknown>, '$', (_key, value) => innerId(value), {isKey: (k) => DIGITS.test(k), strangers: false}),
}
