import {describe, expect, it} from 'vitest'

import {jsonPieces, jsonText} from '../../../src/core/store/atomic-write.js'

describe('jsonPieces: a large cache written in pieces', () => {
  it('parses to exactly what jsonText gives, members with no JSON form left out as JSON.stringify leaves them', () => {
    const value = {
      kind: 'wicker/extract',
      none: undefined,
      empty: [],
      nested: {a: [1, 2], b: undefined, c: 'x'},
      list: [{id: 'S0001L01', phrases: [{known: 'yan', target: 'tu\u00f1e'}]}, undefined, null, 'last'],
      text: 'line\nbreak "quoted"',
    }
    const text = [...jsonPieces(value)].join('')
    expect(JSON.parse(text)).toEqual(JSON.parse(jsonText(value)))
    expect(text.endsWith('\n')).toBe(true)
    // one array element to a line, compact
    expect(text).toContain('\n    {"id":"S0001L01","phrases":[{"known":"yan","target":"tu\u00f1e"}]},\n    null,\n    null,\n    "last"\n  ]')
    expect(text).not.toContain('"none"')
  })

  it('an empty object, and an array of many elements, in more than one piece', () => {
    expect([...jsonPieces({})].join('')).toBe('{}\n')
    const many = {candidates: Array.from({length: 40_000}, (_, i) => ({id: `S${String(i).padStart(4, '0')}L01`, phrase: 'a phrase of some length to fill the piece'}))}
    const pieces = [...jsonPieces(many)]
    expect(pieces.length).toBeGreaterThan(1)
    expect(JSON.parse(pieces.join(''))).toEqual(many)
  })
})
