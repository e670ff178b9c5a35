import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {fold, isUnspaced, keyOf, tidy, unitKey, units, unitsAndKeyOfNfc, unitsOfNfc, wordCount} from '../../../src/core/text/normalize.js'

describe('units', () => {
  it('keeps accented words whole (the old validators split "español" in two)', () => {
    expect(units('¿Hablas español?')).toEqual(['hablas', 'español'])
  })

  it('strips punctuation of every script', () => {
    expect(unitKey('¡Sí! «vé», „qó“ — tú… 甲乙。丙，丁！？')).toBe('sí vé qó tú 甲 乙 丙 丁')
  })

  it('case-folds and NFC-normalises, so decomposed and composed text compare equal', () => {
    expect(unitKey('ESPAN\u0303OL')).toBe(unitKey('español'))
    expect(fold('Ñ')).toBe('ñ')
  })

  it('keeps an inner apostrophe and folds the typographic one', () => {
    expect(units("l’eau d'or")).toEqual(["l'eau", "d'or"])
  })

  it('splits unspaced scripts into single characters and never glues Latin onto them', () => {
    const list = units('OK甲乙 tzá')
    expect(list.map((u) => [u, isUnspaced(u)])).toEqual([
      ['ok', false],
      ['甲', true],
      ['乙', true],
      ['tzá', false],
    ])
    expect(list.unspaced).toBe(true)
    expect(units('vé qó').unspaced).toBeUndefined()
  })

  it('tidies white space without touching letters', () => {
    expect(tidy('  vé \n  qó\t')).toBe('vé qó')
  })

  it('counts a run of unspaced script as one word', () => {
    expect(wordCount('甲乙丙 ok 丁')).toBe(3)
    expect(wordCount('uno dós, trés!')).toBe(3)
  })
})

describe('units: the loop below U+0300 gives what the Unicode regex gives', () => {
  // the tokeniser as it was before the loop: WORD's matches, unspaced characters one by one
  const HAS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u
  const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu
  function reference(text: string): string[] {
    let folded = text.normalize('NFC').toLowerCase()
    if (folded.includes('’')) folded = folded.replace(/’/gu, "'")
    const words = folded.match(WORD) ?? []
    const out: string[] = []
    for (const word of words) {
      if (!HAS.test(word)) {
        out.push(word)
        continue
      }
      let spaced = ''
      for (const ch of word) {
        if (HAS.test(ch)) {
          if (spaced.replace(/^'+|'+$/g, '') !== '') out.push(spaced.replace(/^'+|'+$/g, ''))
          spaced = ''
          out.push(ch)
        } else spaced += ch
      }
      if (spaced.replace(/^'+|'+$/g, '') !== '') out.push(spaced.replace(/^'+|'+$/g, ''))
    }
    return out
  }

  it('on every character below U+0300 alone and between letters', () => {
    for (let c = 0; c < 0x300; c++) {
      const ch = String.fromCharCode(c)
      for (const text of [ch, `a${ch}b`, `${ch}${ch}x`, `x'${ch}`, `x’${ch}y`, ` ab${ch} cd${ch}`, `ab ${ch}cd`]) {
        expect([...units(text)]).toEqual(reference(text))
        expect(unitsAndKeyOfNfc(text.normalize('NFC')).key).toBe(reference(text).join(' '))
      }
    }
  })

  it('on random text of letters, apostrophes, punctuation, marks and other scripts', () => {
    const alphabet = [..."aZéÄñßİıµ0٣'’ -.,!?¿«»\t\u00a0\u00ad\u0300\u0301Σσς甲乙ไทยКж"]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), {maxLength: 24}), (chars) => {
        const text = chars.join('')
        expect([...units(text)]).toEqual(reference(text))
        // the key taken from the text where the words stand one space apart is the key joined
        const nfc = text.normalize('NFC')
        const both = unitsAndKeyOfNfc(nfc)
        expect([both.key, [...both.units], both.units.unspaced]).toEqual([reference(text).join(' '), [...unitsOfNfc(nfc)], unitsOfNfc(nfc).unspaced])
        expect(keyOf(both.units)).toBe(both.key)
        expect(units(text).unspaced === true).toBe(HAS.test(text.normalize('NFC').toLowerCase()) && reference(text).some((u) => HAS.test(u)))
      }),
      {numRuns: 3000},
    )
  })
})
