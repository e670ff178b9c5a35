import {describe, expect, it} from 'vitest'

import {f2} from '../../../../src/core/formats/containers/f2-baskets-map.js'
import {f2b} from '../../../../src/core/formats/containers/f2b-phrase-arrays.js'

const hints = {name: 'upload.json'}

describe('F2b: phrase lists under a `baskets` object', () => {
  it('F2b when every value is the phrase list itself', () => {
    const root = {baskets: {S0004L02: [['we vask', 'nolo', null, 1]], S0004L03: [['ta zum', 'fe ril']]}}
    expect([f2.recognise(root, hints), f2b.recognise(root, hints)]).toEqual([false, true])
    expect(f2b.read(root, hints).baskets.map((b) => [b.id, b.form])).toEqual([
      ['S0004L02', 'F2b'],
      ['S0004L03', 'F2b'],
    ])
  })
})
