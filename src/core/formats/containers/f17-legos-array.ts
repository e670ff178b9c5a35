import {isObject} from '../../json.js'
import {basketFromValue} from '../basket-value.js'
import {innerId} from './id-map.js'
import type {ContainerFormat, PartRead} from './types.js'

/** An item of the `legos` array that carries phrases (the others describe a LEGO and hold no basket). */
const hasPhrases = (item: unknown): item is Record<string, unknown> =>
  isObject(item) && (Array.isArray(item.baskets) || item.practice_phrases !== undefined || item.phrases !== undefined)

/**
 * F17: a LEGO-array seed file, each LEGO with its phrases under `baskets`, the phrases often keyed by
 * the course's language codes (`{eng, spa}`; phrases.ts maps codes and names to the sides).
 */
export const f17: ContainerFormat = {
  id: 'F17',
  example: '{"seed_id": "S0004", "seed_pair": {…}, "legos": [{"lego_id": "S0004L02", "known": "we vask", "target": "nolo", "new": true, "baskets": [{"eng": "we vask", "spa": "nolo"}]}]}',
  recognise: (root) => isObject(root) && Array.isArray(root.legos) && root.legos.some(hasPhrases),
  read(root) {
    const part: PartRead = {baskets: [], problems: [], keys: ['legos']}
    ;((root as Record<string, unknown>).legos as unknown[]).forEach((item, i) => {
      if (!hasPhrases(item)) return // a LEGO listed for context: no basket to read
      const path = `$.legos[${i}]`
      const basket = basketFromValue(innerId(item), item, path)
      if (typeof basket === 'string') part.problems.push({path, message: basket})
      else part.baskets.push({...basket, form: null})
    })
    return part
  },
}
