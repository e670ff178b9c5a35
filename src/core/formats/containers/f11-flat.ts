import {isObject} from '../../json.js'
import {idValuesPass, readRootIds} from './id-map.js'
import type {ContainerFormat} from './types.js'

const isFlat = (v: unknown) => isObject(v) && Array.isArray(v.baskets) && typeof v.target === 'string'

/** F11: LEGO ids at the root, each with its LEGO text flat and its phrases under `baskets`. */
export const f11: ContainerFormat = {
  id: 'F11',
  example: '{"S0004L02": {"known": "we vask", "target": "nolo", "baskets": [["we vask", "nolo", null, 1]]}}',
  recognise: (root) => idValuesPass(root, isFlat, true),
  read: readRootIds,
}
