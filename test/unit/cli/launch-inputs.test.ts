import {describe, expect, it} from 'vitest'

import {MAX_DURATION_MS, parseDuration, parseUsd} from '../../../src/cli/durations.js'
import {UsageError} from '../../../src/core/errors.js'
import {parseOnly} from '../../../src/core/launch/only.js'
import {parseSeedRange} from '../../../src/core/segments/seed-range.js'

function refusal(fn: () => unknown): UsageError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return error as UsageError
  }
  throw new Error('accepted')
}

describe('durations of launch flags', () => {
  it.each([
    ['30m', 1_800_000],
    ['1500ms', 1500],
    ['2h', 7_200_000],
    ['45', 45_000],
    ['24h', MAX_DURATION_MS],
  ])('reads %s as %i ms', (text, ms) => expect(parseDuration(text, 'timeout')).toBe(ms))

  it.each(['600h', '25h', '90000000ms', '2147483648ms'])('refuses %s, past what a timer can hold, naming the range', (text) => {
    const e = refusal(() => parseDuration(text, 'timeout'))
    expect(e.code).toBe('E_DURATION_RANGE')
    expect(e.message).toContain('1ms to 24h')
    expect(e.exitCode).toBe(2)
  })

  it.each(['0', '0s', '0ms', '0.0001s'])('refuses %s as a timeout (every attempt would end at once)', (text) => {
    expect(refusal(() => parseDuration(text, 'idle-timeout')).code).toBe('E_DURATION_RANGE')
  })

  it('takes 0 where it means "at once" (--grace, --stagger, --backoff)', () => {
    expect(parseDuration('0', 'grace', {zero: true})).toBe(0)
    expect(refusal(() => parseDuration('48h', 'grace', {zero: true})).message).toContain('0 to 24h')
  })

  it.each(['-5s', 'abc', '1e3', 'NaN', 'Infinity', ''])('refuses %j as not a duration', (text) => {
    expect(refusal(() => parseDuration(text, 'timeout')).code).toBe('E_DURATION')
  })
})

describe('--max-cost-usd', () => {
  it.each([
    ['2.50', 2.5],
    ['$3', 3],
    [' 0.01 ', 0.01],
  ])('reads %j', (text, usd) => expect(parseUsd(text, 'max-cost-usd')).toBe(usd))

  it.each(['abc', '-1', '0', 'NaN', 'Infinity', '1e400', '9'.repeat(400), ''])('refuses %j (no limit at all, before)', (text) => {
    const e = refusal(() => parseUsd(text, 'max-cost-usd'))
    expect(e.code).toBe('E_USD')
    expect(e.message).toContain('above 0')
  })
})

describe('--only against the run', () => {
  it('picks the numbered packets', () => {
    expect([...parseOnly('1,3-4', 4)]).toEqual([1, 3, 4])
    expect([...parseOnly('4', 4)]).toEqual([4])
  })

  it.each([
    ['99', 'outside'],
    ['0', 'outside'],
    ['2-5', 'outside'],
    ['3-1', 'backwards'],
  ])('refuses %s with 4 packets, naming 1-4', (spec, word) => {
    const e = refusal(() => parseOnly(spec, 4))
    expect(e.code).toBe('E_ONLY_RANGE')
    expect(e.message).toContain(word)
    expect(`${e.message} ${e.hint}`).toContain('1-4')
  })

  it('refuses words', () => expect(refusal(() => parseOnly('first', 4)).code).toBe('E_ONLY'))
})

describe('--seeds against the course', () => {
  const course = {first: 1, last: 40}
  it('reads a range and one seed', () => {
    expect(parseSeedRange('S0010-S0020', course)).toEqual([10, 20])
    expect(parseSeedRange('s12', course)).toEqual([12, 12])
    // a range reaching past the end still selects the seeds it has
    expect(parseSeedRange('S0035-S0060', course)).toEqual([35, 60])
  })

  it.each([
    ['S0010-S0005', 'backwards'],
    ['S0041-S0050', 'outside'],
    ['S0100', 'outside'],
  ])('refuses %s, naming the course\'s first and last seed', (spec, word) => {
    const e = refusal(() => parseSeedRange(spec, course))
    expect(e.code).toBe('E_SEEDS_RANGE')
    expect(e.message).toContain(word)
    expect(e.message).toContain('S0001-S0040')
  })
})
