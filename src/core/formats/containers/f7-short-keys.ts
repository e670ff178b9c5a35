import {SHORT_LEGO_ID, seedIdsIn} from '../../ids.js'
import {innerId, readIdMap} from './id-map.js'
import type {ContainerFormat} from './types.js'

/** F7: short keys (`L01`); the id is inside the basket, or the seed comes from the file name. */
export const f7: ContainerFormat = {
  id: 'F7',
  example: 'S0004_agent.json: {"L02": {"practice_phrases": [["we vask", "nolo"]]}, "L03": {"lego_id": "S0004L03", …}}',
  recognise: (root) => typeof root === 'object' && root !== null && !Array.isArray(root) && Object.keys(root).some((k) => SHORT_LEGO_ID.test(k)),
  read(root, hints) {
    const seeds = seedIdsIn(hints.name)
    const seed = seeds.length === 1 ? seeds[0]! : null
    return readIdMap(root as Record<string, unknown>, '$', (key, value) => innerId(value) ?? (seed ? `${seed}${key}` : null), {isKey: (k) => SHORT_LEGO_ID.test(k), strangers: false})
  },
}
