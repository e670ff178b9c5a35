import {isObject} from '../../json.js'
import {basketFromValue} from '../basket-value.js'
import {innerId} from './id-map.js'
import type {ContainerFormat, PartRead} from './types.js'

/** F3: `baskets` an array of baskets, each with its id inside. */
export const f3: ContainerFormat = {
  id: 'F3',
  example: '{"seed_id": "S0004", "baskets": [{"lego_id": "S0004L02", "practice_phrases": [{"known": "we vask", "target": "nolo"}]}]}',
  recognise: (root) => isObject(root) && Array.isArray(root.baskets),
  read(root) {
    const part: PartRead = {baskets: [], problems: [], keys: ['baskets']}
    ;((root as Record<string, unknown>).baskets as unknown[]).forEach((value, i) => {
      const basket = basketFromValue(innerId(value), value, `$.baskets[${i}]`)
      if (typeof basket === 'string') part.problems.push({path: `$.baskets[${i}]`, message: basket})
      else part.baskets.push(basket)
    })
    return part
  },
}
