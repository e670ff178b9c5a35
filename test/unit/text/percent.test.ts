import {describe, expect, it} from 'vitest'

import {percentText} from '../../../src/core/text/percent.js'

describe('percentText', () => {
  it('rounds to a tenth of a percent', () => {
    expect([0, 0.5375, 0.84083, 1 / 3, 1].map(percentText)).toEqual(['0.0%', '53.8%', '84.1%', '33.3%', '100.0%'])
  })
  it('never shows an incomplete share as 100% or a share above 0 as 0%', () => {
    expect(percentText(0.9996)).toBe('99.9%')
    expect(percentText(79_999 / 80_000)).toBe('99.9%')
    expect(percentText(0.0004)).toBe('0.1%')
  })
})
