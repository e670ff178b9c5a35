import {describe, expect, it} from 'vitest'

import {f17} from '../../../../src/core/formats/containers/f17-legos-array.js'
import {phraseKeys, readPhrases} from '../../../../src/core/formats/phrases.js'

const hints = {name: 'S0004.json'}

describe('F17: a LEGO-array seed file', () => {
  const root = {
    seed_id: 'S0004',
    seed_pair: {known: 'we vask ta zum', target: 'nolo fe ril'},
    legos: [
      {lego_id: 'S0004L02', known: 'we vask', target: 'nolo', new: true, baskets: [{eng: 'we vask', spa: 'nolo'}, {eng: 'we vask it', spa: 'nolo ta'}]},
      {lego_id: 'S0001L01', known: 'ta', target: 'ta', new: false},
      {id: 'S0004L03', known: 'ta zum', target: 'fe ril', new: true, baskets: [{english: 'ta zum', spanish: 'fe ril'}]},
    ],
  }

  it('reads each LEGO with phrases as its basket, with the LEGO text, and passes over LEGOs listed without phrases', () => {
    expect(f17.recognise(root, hints)).toBe(true)
    const read = f17.read(root, hints)
    expect(read.baskets.map((b) => [b.id, b.path, b.lego, b.form])).toEqual([
      ['S0004L02', '$.legos[0]', {known: 'we vask', target: 'nolo'}, null],
      ['S0004L03', '$.legos[2]', {known: 'ta zum', target: 'fe ril'}, null],
    ])
    expect(read.problems).toEqual([])
  })

  it('phrases keyed by the course\'s language codes or names read as known and target', () => {
    const keys = phraseKeys('eng', 'spa')
    const [a, b] = f17.read(root, hints).baskets
    expect(readPhrases(a!.phrases, a!.order, keys).phrases).toEqual([
      {known: 'we vask', target: 'nolo'},
      {known: 'we vask it', target: 'nolo ta'},
    ])
    expect(readPhrases(b!.phrases, b!.order, keys).phrases).toEqual([{known: 'ta zum', target: 'fe ril'}])
  })

  it('does not take a LEGO list with no phrases at all (an unfilled scaffold)', () => {
    expect(f17.recognise({seed_id: 'S0004', legos: [{lego_id: 'S0004L02', known: 'we vask', target: 'nolo', new: true}]}, hints)).toBe(false)
  })
})
