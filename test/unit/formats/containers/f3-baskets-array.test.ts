import {describe, expect, it} from 'vitest'

import {f3} from '../../../../src/core/formats/containers/f3-baskets-array.js'

const hints = {name: 'seed_S0004.json'}

describe('F3: a `baskets` array', () => {
  it('reads each basket by its inner lego_id or id and reports an item that is no basket', () => {
    const root = {seed_id: 'S0004', baskets: [{lego_id: 'S0004L02', practice_phrases: [['we vask', 'nolo']]}, {id: 'S0004L03', lego: {known: 'ta zum', target: 'fe ril'}, practice_phrases: [['ta zum', 'fe ril']]}, 'done']}
    expect(f3.recognise(root, hints)).toBe(true)
    const read = f3.read(root, hints)
    expect(read.baskets.map((b) => [b.id, b.path])).toEqual([
      ['S0004L02', '$.baskets[0]'],
      ['S0004L03', '$.baskets[1]'],
    ])
    expect(read.problems).toEqual([{path: '$.baskets[2]', message: 'expected a basket object, found string'}])
  })
})
