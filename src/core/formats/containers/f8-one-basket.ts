import {isObject} from '../../json.js'
import {basketFromValue} from '../basket-value.js'
import type {ContainerFormat} from './types.js'

/** F8: one basket per file, the root itself, named by `basket_id`. */
export const f8: ContainerFormat = {
  id: 'F8',
  example: '{"basket_id": "S0004L02", "lego": {"known": "we vask", "target": "nolo"}, "practice_phrases": [["we vask", "nolo"]]}',
  recognise: (root) => isObject(root) && typeof root.basket_id === 'string',
  read(root) {
    const value = root as Record<string, unknown>
    const basket = basketFromValue(value.basket_id as string, value, '$')
    return typeof basket === 'string' ? {baskets: [], problems: [{path: '$', message: basket}], keys: '$'} : {baskets: [basket], problems: [], keys: '$'}
  },
}
