import {readIdMap, objectAt} from './id-map.js'
import type {ContainerFormat} from './types.js'

const WRAPPERS = ['lego_baskets', 'phase5_baskets'] as const
const wrapperOf = (root: unknown) => WRAPPERS.find((w) => objectAt(root, w) !== null) ?? null

/** F10: baskets by LEGO id under a `lego_baskets` or `phase5_baskets` wrapper. */
export const f10: ContainerFormat = {
  id: 'F10',
  example: '{"seed_id": "S0004", "lego_baskets": {"S0004L02": {"lego_pair": ["we vask", "nolo"], "phrases": [["we vask", "nolo"]]}}}',
  recognise: (root) => wrapperOf(root) !== null,
  read(root) {
    const wrapper = wrapperOf(root)!
    return {...readIdMap(objectAt(root, wrapper)!, `$.${wrapper}`, (key) => key), keys: [wrapper]}
  },
}
