import {describe, expect, it} from 'vitest'

import {languageSense} from '../../../src/core/course/language-sense.js'
import type {Course} from '../../../src/core/course/model.js'
import {tidy, units, unitsOfNfc} from '../../../src/core/text/normalize.js'

const FIRST_WORD = /[\p{L}\p{M}\p{N}]+/u

/** A course with no languages (so sides are told apart by vocabulary), from [known, target] LEGO pairs. */
function course(pairs: Array<[string, string]>): Course {
  const legos = pairs.map(([known, target], i) => ({id: `S0001L0${i + 1}`, seedId: 'S0001', position: i, indexInSeed: i, type: 'A', isNew: true, known, target, components: [], isFinal: i === pairs.length - 1}))
  return {knownLanguage: null, targetLanguage: null, seeds: [{id: 'S0001', index: 0, known: '', target: '', legos}], legos} as unknown as Course
}

describe('languageSense: mayBeKnown lowercases only the first word', () => {
  it('lowercasing keeps every code point inside or outside [\\p{L}\\p{M}\\p{N}], so the first word of the lowercased text is the lowercased first word', () => {
    const word = /^[\p{L}\p{M}\p{N}]+$/u
    const changed: string[] = []
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue
      const c = String.fromCodePoint(cp)
      if (word.test(c) !== word.test(c.toLowerCase())) changed.push(cp.toString(16))
    }
    expect(changed).toEqual([])
  })

  it('answers as the whole text lowercased would, Greek final sigma included', () => {
    const pairs: Array<[string, string]> = [['dog', 'ΟΔΟΣ'], ['the house', 'Casa Grande'], ['οδοσ', 'water'], ['fish', 'İstanbul']]
    const sense = languageSense(course(pairs))
    const vocabulary = new Map<string, number>()
    const side = (text: string, flag: number) => {
      for (const u of units(text)) vocabulary.set(u, (vocabulary.get(u) ?? 0) | flag)
    }
    for (const [known, target] of pairs) {
      side(known, 1)
      side(target, 2)
    }
    // the definition mayBeKnown had: the first word of the whole text lowercased
    const reference = (text: string) => {
      const first = FIRST_WORD.exec(text.toLowerCase())
      return !first || vocabulary.get(first[0].normalize('NFC')) !== 2
    }
    const texts = ['ΟΔΟΣ', 'ΟΔΟΣ.Α', "ΟΔΟΣ'Α", 'ΟΔΟΣ Α', 'οδοσ', 'Casa', 'CASA grande', '¿Casa?', 'İstanbul', 'İSTANBUL', 'the dog', '', '...', 'Dog', 'CAFE\u0301', 'cafe\u0301 au lait', '123 casa', "Casa'x grande", 'Casa’s']
    const answers = texts.map((t) => sense.mayBeKnown(t))
    expect(answers).toEqual(texts.map(reference))
    // given the units of the tidied text (as validate does), the first unit answers the same
    const tidied = texts.map(tidy)
    expect(tidied.map((t) => sense.mayBeKnown(t, unitsOfNfc(t)))).toEqual(tidied.map(reference))
    // the cases differ: some first words are target vocabulary, some are not
    expect(answers).toContain(false)
    expect(answers).toContain(true)
  })
})
