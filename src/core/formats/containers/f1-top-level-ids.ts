import {isObject} from '../../json.js'
import {isBasketShaped} from '../basket-value.js'
import {isIdKey, readRootIds} from './id-map.js'
import type {ContainerFormat} from './types.js'

/**
 * F1: LEGO id → basket at the root, maybe beside metadata keys. The container read last: it also
 * reads any basket-shaped value left under another key, so that value's id is refused with its
 * reason rather than dropped.
 */
export const f1: ContainerFormat = {
  id: 'F1',
  example: '{"agent": "a7", "S0004L02": {"lego": {"known": "we vask", "target": "nolo"}, "practice_phrases": [["we vask", "nolo", null, 1]]}}',
  recognise: (root) => isObject(root) && Object.keys(root).some((k) => isIdKey(k) || isBasketShaped(root[k])),
  read: readRootIds,
}
