import {describe, expect, it} from 'vitest'

import {plainlyTidy} from '../../../src/core/extract/candidate.js'
import {tidy} from '../../../src/core/text/normalize.js'

/** extract skips tidy where plainlyTidy says the text is tidy: it must never say so of text tidy would change. */
describe('plainlyTidy', () => {
  it('says yes only where tidy changes nothing, for every BMP code point in each position', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c)
      for (const text of [ch, `a${ch}`, `${ch}b`, `a${ch}b`, `a ${ch}b`, `a${ch} b`, `${ch}${ch}`]) {
        if (plainlyTidy(text)) expect(tidy(text), `U+${c.toString(16)} in ${JSON.stringify(text)}`).toBe(text)
      }
    }
  })

  it('says yes to plain phrase text and no to what tidy would change', () => {
    for (const text of ['', 'we vask', 'ta ne só', "l'eau, ¿qué?", 'x']) expect(plainlyTidy(text), text).toBe(true)
    for (const text of [' a', 'a ', 'a  b', 'a\tb', 'a\u00a0b', 'cafe\u0301', ' ', 'a\nb']) {
      expect(plainlyTidy(text), JSON.stringify(text)).toBe(false)
      expect(tidy(text) === text && !/[^\u0000-\u02ff]/.test(text), JSON.stringify(text)).toBe(false)
    }
  })
})
