import {describe, expect, it} from 'vitest'

import {f11} from '../../../../src/core/formats/containers/f11-flat.js'

const hints = {name: 'agent_7.json'}
const phrases = [['we vask', 'nolo', null, 1]]

describe('F11: flat LEGO text with the phrases under baskets', () => {
  it('reads the phrases and the LEGO text', () => {
    const root = {S0004L02: {known: 'we vask', target: 'nolo', baskets: phrases}}
    expect(f11.recognise(root, hints)).toBe(true)
    expect(f11.read(root, hints).baskets.map((b) => [b.id, b.phrases, b.lego, b.form])).toEqual([['S0004L02', phrases, {known: 'we vask', target: 'nolo'}, 'F11']])
  })

  it('is not F11 unless every LEGO-id value is flat', () => {
    expect(f11.recognise({S0004L02: {known: 'we vask', target: 'nolo', baskets: phrases}, S0004L03: {practice_phrases: phrases}}, hints)).toBe(false)
    expect(f11.recognise({agent: 'a7'}, hints)).toBe(false)
  })
})
