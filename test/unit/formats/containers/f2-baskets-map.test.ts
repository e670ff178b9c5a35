import {describe, expect, it} from 'vitest'

import {f2} from '../../../../src/core/formats/containers/f2-baskets-map.js'
import {f2b} from '../../../../src/core/formats/containers/f2b-phrase-arrays.js'

const hints = {name: 'upload.json'}

describe('F2: baskets under a `baskets` object', () => {
  it('F2 reads the upload body and skips metadata inside the map', () => {
    const root = {course: 'spa_for_eng', seed: 'S0004', agentId: 'a7', baskets: {S0004L02: {practice_phrases: [{known: 'we vask', target: 'nolo'}]}, patterns_introduced: ['P03']}}
    expect([f2.recognise(root, hints), f2b.recognise(root, hints)]).toEqual([true, false])
    const read = f2.read(root, hints)
    expect(read.baskets.map((b) => [b.id, b.path])).toEqual([['S0004L02', '$.baskets.S0004L02']])
    expect(read.problems).toEqual([])
    expect(read.keys).toEqual(['baskets'])
  })
})
