import {describe, expect, it} from 'vitest'

import {parseDuration} from '../../../src/cli/durations.js'
import {TOKEN_EXPIRY} from '../../../src/core/serve/tokens.js'

const expiry = {min: TOKEN_EXPIRY.min, max: TOKEN_EXPIRY.max}

describe('a duration with bounds of its own (a token\'s life)', () => {
  it('takes days, and its own shortest and longest', () => {
    expect(parseDuration('7d', 'expires', expiry)).toBe(7 * 86_400_000)
    expect(parseDuration('1m', 'expires', expiry)).toBe(60_000)
    expect(parseDuration('30d', 'expires', expiry)).toBe(30 * 86_400_000)
  })

  it('refuses one outside them, naming the flag and the range', () => {
    expect(() => parseDuration('31d', 'expires', expiry)).toThrow(/--expires 31d is too long: durations go from 1m to 30d/)
    expect(() => parseDuration('59s', 'expires', expiry)).toThrow(/--expires 59s is too short: durations go from 1m to 30d/)
    expect(() => parseDuration('0', 'expires', expiry)).toThrow(/too short/)
  })

  it('leaves the timers\' bounds as they were: 24 h at most, days included', () => {
    expect(() => parseDuration('2d', 'timeout')).toThrow(/--timeout 2d is too long: durations go from 1ms to 24h/)
    expect(parseDuration('1d', 'timeout')).toBe(86_400_000)
    expect(() => parseDuration('0', 'timeout')).toThrow(/would stop every attempt at once/)
  })
})
