import {SEED_ID} from '../../ids.js'
import {isObject} from '../../json.js'
import {readIdMap, objectAt} from './id-map.js'
import type {ContainerFormat, PartRead} from './types.js'

/** F5: an agent's batch, `seeds` an object of seed ids, each with its `legos` map of baskets. */
export const f5: ContainerFormat = {
  id: 'F5',
  example: '{"agent_id": "a7", "seeds": {"S0004": {"legos": {"S0004L02": {"practice_phrases": [["we vask", "nolo"]]}}}}}',
  recognise: (root) => Object.keys(objectAt(root, 'seeds') ?? {}).some((k) => SEED_ID.test(k)),
  read(root) {
    const seeds = objectAt(root, 'seeds')!
    const part: PartRead = {baskets: [], problems: [], keys: ['seeds']}
    for (const [seed, entry] of Object.entries(seeds)) {
      const legos = isObject(entry) ? entry.legos : undefined
      if (!isObject(legos)) {
        part.problems.push({path: `$.seeds.${seed}`, message: 'a seed without a "legos" object'})
        continue
      }
      const read = readIdMap(legos, `$.seeds.${seed}.legos`, (key) => key)
      part.baskets.push(...read.baskets)
      part.problems.push(...read.problems)
    }
    return part
  },
}
