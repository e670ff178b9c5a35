import {describe, expect, it} from 'vitest'

import {f2, f2b} from '../../../../src/core/formats/containers/f2-baskets-map.js'

const hints = {name: 'upload.json'}

describe('F2 / F2b: baskets under a `baskets` object', () => {
  it('F2 reads the upload body and skips metadata inside the map', () => {
    const root = {course: 'spa_for_eng', seed: 'S0004', agentId: 'a7', baskets: {S0004L02: {practice_phrases: [{known: 'we vask', target: 'nolo'}]}, patterns_introduced: ['P03']}}
    expect([f2.recognise(root, hints), f2b.recognise(root, hints)]).toEqual([true, false])
    const read = f2.read(root, hints)
    expect(read.baskets.map((b) => [b.id, b.path])).toEqual([['S0004L02', '$.baskets.S0004L02']])
    expect(read.problems).toEqual([])
    expect(read.keys).toEqual(['baskets'])
  })

  it('F2b when every value is the phrase list itself', () => {
    const root = {baskets: {S0004L02: [['we vask', 'nolo', null, 1]], S0004L03: [['ta zum', 'fe ril']]}}
    expect([f2.recognise(root, hints), f2b.recognise(root, hints)]).toEqual([false, true])
    expect(f2b.read(root, hints).baskets.map((b) => [b.id, b.form])).toEqual([
      ['S0004L02', 'F2b'],
      ['S0004L03', 'F2b'],
    ])
  })
})
