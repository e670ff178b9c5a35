import {describe, expect, it} from 'vitest'

import {f6} from '../../../../src/core/formats/containers/f6-numeric-keys.js'

const hints = {name: 'agent_7.json'}

describe('F6: numeric keys with ids inside', () => {
  it('reads the id from legoId or lego_id in each value', () => {
    const root = {'0': {legoId: 'S0004L02', practice_phrases: [['we vask', 'nolo']]}, '1': {lego_id: 'S0004L03', practice_phrases: [['ta zum', 'fe ril']]}}
    expect(f6.recognise(root, hints)).toBe(true)
    expect(f6.read(root, hints).baskets.map((b) => [b.id, b.path])).toEqual([
      ['S0004L02', '$.0'],
      ['S0004L03', '$.1'],
    ])
  })

  it('leaves top-level LEGO-id keys beside the digits to the containers after it', () => {
    const root = {'0': {legoId: 'S0004L02', practice_phrases: [['we vask', 'nolo']]}, S0004L03: {practice_phrases: [['ta zum', 'fe ril']]}}
    expect(f6.read(root, hints).keys).toEqual(['0'])
  })

  it('is not F6 when no value carries an id (that is F15)', () => {
    expect(f6.recognise({'0': {lego: 'nolo', practice_phrases: [['we vask', 'nolo']]}}, hints)).toBe(false)
  })
})
