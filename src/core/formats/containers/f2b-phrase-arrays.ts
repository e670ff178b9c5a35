import {readIdMap, objectAt} from './id-map.js'
import type {ContainerFormat} from './types.js'

/** Whether every value of a `baskets` map is an array (F2b), not a basket object (F2). */
export const allArrays = (map: Record<string, unknown>) => Object.values(map).every(Array.isArray)

/** F2b: `baskets` an object of LEGO ids whose values are the phrase lists themselves. */
export const f2b: ContainerFormat = {
  id: 'F2b',
  example: '{"baskets": {"S0004L02": [["we vask", "nolo", null, 1]]}}',
  recognise: (root) => {
    const map = objectAt(root, 'baskets')
    return map !== null && allArrays(map)
  },
  read: (root) => ({...readIdMap(objectAt(root, 'baskets')!, '$.baskets', (key) => key), keys: ['baskets']}),
}
