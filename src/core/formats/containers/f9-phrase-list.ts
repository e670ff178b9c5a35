import {legoIdsIn} from '../../ids.js'
import {isObject} from '../../json.js'
import type {ContainerFormat} from './types.js'

const isPhraseLike = (v: unknown): boolean =>
  (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') || (isObject(v) && (typeof v.target === 'string' || typeof v.known === 'string'))

/** F9: the root is a bare phrase list; only the file name can say which LEGO it is for. */
export const f9: ContainerFormat = {
  id: 'F9',
  example: 'S0004L02_agent.json: [["we vask", "nolo", null, 1], ["we vask it", "nolo ta", null, 2]]',
  recognise: (root) => Array.isArray(root) && root.length > 0 && root.every(isPhraseLike),
  read(root, hints) {
    const legos = legoIdsIn(hints.name)
    if (legos.length !== 1) {
      const named = legos.length === 0 ? 'none' : `several (${legos.join(', ')})`
      return {baskets: [], problems: [{path: '$', kind: 'bad-id', message: `a bare phrase list; the LEGO id must come from the file name, which names ${named}`}], keys: '$'}
    }
    return {baskets: [{id: legos[0]!, path: '$', phrases: root, order: 'known-target', lego: null, form: null, base: null}], problems: [], keys: '$'}
  },
}
