import {describe, expect, it} from 'vitest'

import {intendedLegoId, isLegoId, isSeedId, legoIdsIn, seedIdsIn} from '../../../src/core/ids.js'
import {readContainer} from '../../../src/core/formats/containers.js'

describe('the one id grammar', () => {
  it('takes S + 4 or more digits and L + 2 or more digits, one spelling per number', () => {
    for (const id of ['S0001L01', 'S9999L99', 'S10000L01', 'S123456L100']) expect(isLegoId(id), id).toBe(true)
    for (const id of ['S001L01', 'S0001L1', 'S00001L01', 'S0001L001', 's0001l01', 'S0001L01 ', 'S0001']) expect(isLegoId(id), id).toBe(false)
    expect(['S0001', 'S10000'].map(isSeedId)).toEqual([true, true])
    expect(['S001', 'S01000', 'S0001L01'].map(isSeedId)).toEqual([false, false, false])
  })

  it('finds ids in file names by whole digit runs', () => {
    expect(legoIdsIn('run1__agent_S10000L02.json')).toEqual(['S10000L02'])
    expect(legoIdsIn('S00012L03.json')).toEqual([])
    expect(seedIdsIn('agent3_S123456.json')).toEqual(['S123456'])
    expect(seedIdsIn('agent3_S0012L03.json')).toEqual([])
  })

  it('names the id a near miss was meant as', () => {
    expect(intendedLegoId(' s0012l03 ')).toBe('S0012L03')
    expect(intendedLegoId('S00012L003')).toBe('S0012L03')
    expect(intendedLegoId('basket')).toBeNull()
  })

  it('reads staging containers keyed by ids over S9999', () => {
    const phrases = {practice_phrases: [{known: 'quib', target: 'vexo'}]}
    expect(readContainer({S10000L01: phrases}, {name: 'a.json'})?.baskets.map((b) => b.id)).toEqual(['S10000L01'])
    expect(readContainer({legos: {S10000L01: phrases}}, {name: 'a.json'})?.format).toBe('F4')
    expect(readContainer({L100: phrases}, {name: 'x_S123456.json'})?.baskets.map((b) => b.id)).toEqual(['S123456L100'])
    expect(readContainer([['quib', 'vexo']], {name: 'x_S10000L01.json'})?.baskets.map((b) => b.id)).toEqual(['S10000L01'])
  })
})
