import {allArrays} from './f2b-phrase-arrays.js'
import {readIdMap, objectAt} from './id-map.js'
import type {ContainerFormat} from './types.js'

/** F2: `baskets` an object of LEGO ids beside metadata (also the old HTTP upload body). */
export const f2: ContainerFormat = {
  id: 'F2',
  example: '{"course": "spa_for_eng", "seed": "S0004", "agentId": "a7", "baskets": {"S0004L02": {"practice_phrases": [["we vask", "nolo"]]}}}',
  recognise: (root) => {
    const map = objectAt(root, 'baskets')
    return map !== null && !allArrays(map)
  },
  read: (root) => ({...readIdMap(objectAt(root, 'baskets')!, '$.baskets', (key) => key), keys: ['baskets']}),
}
