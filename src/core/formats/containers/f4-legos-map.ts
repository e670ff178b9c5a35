import {LEGO_ID} from '../../ids.js'
import {readIdMap, objectAt} from './id-map.js'
import type {ContainerFormat} from './types.js'

/** F4: a filled scaffold, `legos` an object of LEGO ids beside the seed's context. */
export const f4: ContainerFormat = {
  id: 'F4',
  example: '{"seed_id": "S0004", "seed_pair": {"known": "…", "target": "…"}, "legos": {"S0004L02": {"lego": {"known": "we vask", "target": "nolo"}, "practice_phrases": [["we vask", "nolo"]]}}}',
  recognise: (root) => Object.keys(objectAt(root, 'legos') ?? {}).some((k) => LEGO_ID.test(k)),
  read: (root) => ({...readIdMap(objectAt(root, 'legos')!, '$.legos', (key) => key), keys: ['legos']}),
}
