import {isObject} from '../../json.js'
import {isEdForm} from '../basket-value.js'
import {innerId} from './id-map.js'
import type {ContainerFormat, PartRead} from './types.js'

/** A phrase row: one phrase with its LEGO's id beside its text, and no phrase list of its own. */
const isRow = (v: unknown): v is Record<string, unknown> =>
  isObject(v) && v.practice_phrases === undefined && v.phrases === undefined && !isEdForm(v) && (typeof v.known === 'string' || typeof v.target === 'string' || isObject(v.phrase))

/**
 * F16: `baskets` an array of phrase rows, each tagged with its LEGO (`{lego_id, known, target,
 * lego_count}`): the rows of one LEGO, in file order, are its basket.
 */
export const f16: ContainerFormat = {
  id: 'F16',
  example: '{"seed_id": "S0004", "baskets": [{"lego_id": "S0004L02", "known": "we vask", "target": "nolo", "lego_count": 1}, {"lego_id": "S0004L02", …}]}',
  recognise: (root) => isObject(root) && Array.isArray(root.baskets) && root.baskets.length > 0 && root.baskets.every(isRow),
  read(root) {
    const part: PartRead = {baskets: [], problems: [], keys: ['baskets']}
    const groups = new Map<string, {rows: unknown[]; indexes: number[]}>()
    ;((root as Record<string, unknown>).baskets as Array<Record<string, unknown>>).forEach((row, i) => {
      const id = innerId(row)
      if (id === null) {
        part.problems.push({path: `$.baskets[${i}]`, kind: 'bad-id', message: 'a phrase row with no lego_id: it belongs to no basket; refused'})
        return
      }
      const group = groups.get(id) ?? {rows: [], indexes: []}
      group.rows.push(row)
      group.indexes.push(i)
      groups.set(id, group)
    })
    for (const [id, group] of groups) {
      part.baskets.push({id, path: `$.baskets[${group.indexes.join(',')}]`, phrases: group.rows, order: 'known-target', lego: null, form: null, base: null})
    }
    return part
  },
}
