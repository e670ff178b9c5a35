import {describe, expect, it} from 'vitest'

import {f4} from '../../../../src/core/formats/containers/f4-legos-map.js'

const hints = {name: 'scaffold.json'}

describe('F4: a filled scaffold', () => {
  it('reads `legos` by LEGO id and leaves the seed context alone', () => {
    const root = {seed_id: 'S0004', seed_pair: {known: 'we vask ta zum', target: 'nolo fe ril'}, recent_context: ['nolo'], legos: {S0004L02: {lego: {known: 'we vask', target: 'nolo'}, practice_phrases: [['we vask', 'nolo']], _metadata: {agent: 'a7'}, gate_compliance: true}, cumulative_patterns: ['P01']}}
    expect(f4.recognise(root, hints)).toBe(true)
    const read = f4.read(root, hints)
    expect(read.baskets.map((b) => [b.id, b.path])).toEqual([['S0004L02', '$.legos.S0004L02']])
    expect(read.problems).toEqual([])
    expect(read.keys).toEqual(['legos'])
  })

  it('does not take a `legos` array (that is F17) or a map without LEGO ids', () => {
    expect(f4.recognise({legos: [{lego_id: 'S0004L02'}]}, hints)).toBe(false)
    expect(f4.recognise({legos: {first: 'nolo'}}, hints)).toBe(false)
  })
})
