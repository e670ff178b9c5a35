import {describe, expect, it} from 'vitest'

import {f7} from '../../../../src/core/formats/containers/f7-short-keys.js'

describe('F7: short keys', () => {
  it('takes the id inside the basket, else the seed from the file name', () => {
    const root = {L02: {practice_phrases: [['we vask', 'nolo']]}, L03: {lego_id: 'S0009L03', practice_phrases: [['ta zum', 'fe ril']]}, agent: 'a7'}
    const hints = {name: 'S0004_agent.json'}
    expect(f7.recognise(root, hints)).toBe(true)
    const read = f7.read(root, hints)
    expect(read.baskets.map((b) => b.id)).toEqual(['S0004L02', 'S0009L03'])
    expect(read.keys).toEqual(['L02', 'L03'])
  })

  it('gives no id when the file name names no single seed', () => {
    expect(f7.read({L02: {practice_phrases: [['we vask', 'nolo']]}}, {name: 'S0004_S0005.json'}).baskets[0]!.id).toBeNull()
  })
})
