import {describe, expect, it} from 'vitest'

import {inspectValue, refusalAt} from '../../../src/core/staging/inspect.js'

const refused = (json: string, maxDepth = 64) => refusalAt(JSON.parse(json), json, {maxDepth})

describe('the walk over a parsed staging value', () => {
  it('names the place of an integer the text check lets through but no double holds exactly (2^53, 1e16)', () => {
    // 9007199254740992 is written back as itself, so only the walk over the value refuses it
    expect(refused('{"S0001L01": {"practice_phrases": [["a", "b", null, 9007199254740992]]}}')).toEqual({
      path: '$.S0001L01.practice_phrases[0][3]',
      message: 'the integer at $.S0001L01.practice_phrases[0][3] is too large to survive a round trip (over 2^53)',
    })
    expect(refused('{"a": ["x", {"n": 1e16}]}')?.path).toBe('$.a[1].n')
  })

  it('names one place when the value holds several, as the walk has always found it (the last member first)', () => {
    const value = {b: [1, 2, {c: 2 ** 60}], a: {d: Number.POSITIVE_INFINITY}}
    expect(inspectValue(value, {maxDepth: 64})).toBe('the number at $.a.d is out of range (it would be written back as null)')
    expect(inspectValue({b: value.b}, {maxDepth: 64})).toBe('the integer at $.b[2].c is too large to survive a round trip (over 2^53)')
    expect(inspectValue({deep: [[[['x']]]]}, {maxDepth: 3})).toBe('nesting deeper than 3 levels at $.deep[0][0]')
    expect(inspectValue(Object.fromEntries([['ok', 1], ['constructor', 'x']]), {maxDepth: 64})).toBe('the key "constructor" at $ is refused (it could pollute object prototypes)')
  })

  it('refuses what only the walk refuses wherever the text could hold it, and passes 15 digits without an exponent', () => {
    for (const n of ['9007199254740992', '-9007199254740993', '12345678901234567890', '1e16', '1E300', '9.5e15', '-2.5e+20']) expect(refused(`{"a": [${n}]}`), n).not.toBeNull()
    for (const n of ['999999999999999', '-999999999999999', '999999999999999.5', '0.123456789012345', '-0']) expect(refused(`{"a": [${n}], "e": "x1"}`), n).toBeNull()
  })

  it('passes a value with nothing to refuse', () => {
    expect(refused('{"S0001L01": {"practice_phrases": [["a", "b", "P01", 9007199254740991], {"known": "c", "target": "d", "n": -1.5}]}}')).toBeNull()
  })
})
