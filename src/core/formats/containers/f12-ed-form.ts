import {isCompactTuple, isEdForm} from '../basket-value.js'
import {idValuesPass, readRootIds} from './id-map.js'
import type {ContainerFormat} from './types.js'

/** F12: LEGO ids at the root with e/d values `{lego: [t, k], e, d}` or compact `[[t, k], e, [d…]]`; pairs are [target, known]. */
export const f12: ContainerFormat = {
  id: 'F12',
  example: '{"S0004L02": {"lego": ["nolo", "we vask"], "e": [["nolo", "we vask"]], "d": {"2": [["nolo ta", "we vask it"]]}}}',
  recognise: (root) => idValuesPass(root, (v) => isEdForm(v) || isCompactTuple(v)),
  read: readRootIds,
}
