import {describe, expect, it} from 'vitest'

import {fold, isUnspaced, tidy, unitKey, units, wordCount} from '../../../src/core/text/normalize.js'

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
