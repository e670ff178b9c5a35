import {describe, expect, it} from 'vitest'

import {f16} from '../../../../src/core/formats/containers/f16-phrase-rows.js'
import {readContainer} from '../../../../src/core/formats/containers.js'

const hints = {name: 'seed_S0004.json'}

describe('F16: phrase rows tagged with their LEGO', () => {
  it('groups rows by lego_id into baskets, in file order', () => {
    const rows = [
      {lego_id: 'S0004L02', known: 'we vask', target: 'nolo', lego_count: 1},
      {lego_id: 'S0004L03', known: 'ta zum', target: 'fe ril', lego_count: 1},
      {lego_id: 'S0004L02', known: 'we vask it', target: 'nolo ta', lego_count: 2},
    ]
    const root = {seed_id: 'S0004', baskets: rows}
    expect(f16.recognise(root, hints)).toBe(true)
    const read = f16.read(root, hints)
    expect(read.baskets.map((b) => [b.id, b.path, b.phrases])).toEqual([
      ['S0004L02', '$.baskets[0,2]', [rows[0], rows[2]]],
      ['S0004L03', '$.baskets[1]', [rows[1]]],
    ])
    expect(read.problems).toEqual([])
  })

  it('refuses a row with no lego_id, naming it', () => {
    const read = f16.read({baskets: [{lego_id: 'S0004L02', known: 'we vask', target: 'nolo'}, {known: 'ta zum', target: 'fe ril'}]}, hints)
    expect(read.baskets.map((b) => b.id)).toEqual(['S0004L02'])
    expect(read.problems).toEqual([{path: '$.baskets[1]', kind: 'bad-id', message: 'a phrase row with no lego_id: it belongs to no basket; refused'}])
  })

  it('leaves an array of whole baskets to F3', () => {
    const root = {baskets: [{lego_id: 'S0004L02', known: 'we vask', target: 'nolo', practice_phrases: [['we vask', 'nolo']]}]}
    expect(f16.recognise(root, hints)).toBe(false)
    expect(readContainer(root, hints)!.format).toBe('F3')
  })
})
