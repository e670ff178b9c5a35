import {describe, expect, it} from 'vitest'

import {f8} from '../../../../src/core/formats/containers/f8-one-basket.js'

const hints = {name: 'S0004L02.json'}

describe('F8: one basket per file', () => {
  it('reads the root as the basket named by basket_id, with its base hash', () => {
    const root = {basket_id: 'S0004L02', lego: {known: 'we vask', target: 'nolo'}, practice_phrases: [['we vask', 'nolo']], base_hash: 'ab12'}
    expect(f8.recognise(root, hints)).toBe(true)
    const read = f8.read(root, hints)
    expect(read.baskets.map((b) => [b.id, b.path, b.base])).toEqual([['S0004L02', '$', 'ab12']])
    expect(read.keys).toBe('$')
  })

  it('names a root basket without basket_id by its lego_id, else by the one LEGO id in the file name', () => {
    const root = {lego: {known: 'we vask', target: 'nolo'}, practice_phrases: [['we vask', 'nolo']]}
    expect(f8.recognise(root, hints)).toBe(true)
    expect(f8.read({lego_id: 'S0004L03', ...root}, hints).baskets.map((b) => b.id)).toEqual(['S0004L03'])
    expect(f8.read(root, hints).baskets.map((b) => b.id)).toEqual(['S0004L02'])
  })

  it('refuses a root basket with no id anywhere, saying why', () => {
    const root = {lego: {known: 'we vask', target: 'nolo'}, practice_phrases: [['we vask', 'nolo']]}
    expect(f8.read(root, {name: 'agent_7.json'}).problems).toEqual([{path: '$', kind: 'bad-id', message: 'one basket with no basket_id, and the file name names none; refused'}])
  })

  it('reports a basket_id file with no phrases', () => {
    expect(f8.read({basket_id: 'S0004L02'}, hints).problems).toEqual([{path: '$', message: 'no practice_phrases in the basket'}])
  })
})
