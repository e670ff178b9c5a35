import {legoIdsIn} from '../../ids.js'
import {isObject} from '../../json.js'
import {basketFromValue, isBasketShaped} from '../basket-value.js'
import {innerId} from './id-map.js'
import type {ContainerFormat} from './types.js'

/**
 * F8: one basket per file, the root itself: named by `basket_id` (or `lego_id`/`id`), else by the one
 * LEGO id in the file name. A root basket with no id anywhere is refused, by name, never skipped as
 * "not a basket file".
 */
export const f8: ContainerFormat = {
  id: 'F8',
  example: '{"basket_id": "S0004L02", "lego": {"known": "we vask", "target": "nolo"}, "practice_phrases": [["we vask", "nolo"]]}',
  recognise: (root) => isObject(root) && (typeof root.basket_id === 'string' || isBasketShaped(root)),
  read(root, hints) {
    const value = root as Record<string, unknown>
    const named = legoIdsIn(hints.name)
    const id = innerId(value) ?? (named.length === 1 ? named[0]! : null)
    if (id === null) {
      const why = named.length === 0 ? 'names none' : `names several (${named.join(', ')})`
      return {baskets: [], problems: [{path: '$', kind: 'bad-id', message: `one basket with no basket_id, and the file name ${why}; refused`}], keys: '$'}
    }
    const basket = basketFromValue(id, value, '$')
    return typeof basket === 'string' ? {baskets: [], problems: [{path: '$', message: basket}], keys: '$'} : {baskets: [basket], problems: [], keys: '$'}
  },
}
