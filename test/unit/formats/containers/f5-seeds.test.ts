import {describe, expect, it} from 'vitest'

import {f5} from '../../../../src/core/formats/containers/f5-seeds.js'

const hints = {name: 'batch.json'}

describe('F5: an agent batch by seed', () => {
  it('reads every seed\'s legos and reports a seed without them', () => {
    const root = {agent_id: 'a7', seeds: {S0004: {legos: {S0004L02: {practice_phrases: [['we vask', 'nolo']]}}}, S0005: {notes: 'unfinished'}}}
    expect(f5.recognise(root, hints)).toBe(true)
    const read = f5.read(root, hints)
    expect(read.baskets.map((b) => [b.id, b.path])).toEqual([['S0004L02', '$.seeds.S0004.legos.S0004L02']])
    expect(read.problems).toEqual([{path: '$.seeds.S0005', message: 'a seed without a "legos" object'}])
  })

  it('does not take a swarm upload, whose `seeds` is an array', () => {
    expect(f5.recognise({browserId: 'b1', seeds: [{seed_id: 'S0004', legos: []}]}, hints)).toBe(false)
  })
})
