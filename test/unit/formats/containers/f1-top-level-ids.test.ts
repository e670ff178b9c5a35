import {describe, expect, it} from 'vitest'

import {f1} from '../../../../src/core/formats/containers/f1-top-level-ids.js'
import {readContainer} from '../../../../src/core/formats/containers.js'

const hints = {name: 'agent_7.json'}
const phrases = [['we vask', 'nolo', null, 1], ['we vask it', 'nolo ta', null, 2]]

describe('F1: LEGO ids at the root', () => {
  it('reads each LEGO-id basket and leaves metadata keys alone', () => {
    const root = {agent: 'a7', generated: '2026-01-01', S0004L02: {lego: {known: 'we vask', target: 'nolo'}, practice_phrases: phrases}, S0004L03: {practice_phrases: phrases}}
    expect(f1.recognise(root, hints)).toBe(true)
    const read = f1.read(root, hints)
    expect(read.baskets.map((b) => [b.id, b.path, b.lego])).toEqual([
      ['S0004L02', '$.S0004L02', {known: 'we vask', target: 'nolo'}],
      ['S0004L03', '$.S0004L03', null],
    ])
    expect(read.problems).toEqual([])
    expect(read.keys).toEqual(['S0004L02', 'S0004L03'])
  })

  it('takes metadata arrays beside LEGO ids (cumulative_patterns, patterns_introduced) as metadata, not as refused ids', () => {
    const root = {S0004L02: {practice_phrases: phrases}, cumulative_patterns: ['P01', 'P02'], patterns_introduced: ['P02'], seedRange: [1, 5], recent: []}
    const read = readContainer(root, hints)!
    expect(read.baskets.map((b) => b.id)).toEqual(['S0004L02'])
    expect(read.problems).toEqual([])
  })

  it('still reads a basket-shaped value under a key that is no LEGO id, so its id is refused with a reason', () => {
    const root = {S0004L02: {practice_phrases: phrases}, 's0004l03 ': {practice_phrases: phrases}, extra: [['we vask', 'nolo']]}
    const read = f1.read(root, hints)
    expect(read.baskets.map((b) => b.id)).toEqual(['S0004L02', 's0004l03 ', 'extra'])
  })
})
