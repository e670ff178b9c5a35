import {describe, expect, it} from 'vitest'

import type {AttemptClass} from '../../../src/core/launch/classify.js'
import {decide, haltForCost, haltForFailures, MAX_RATE_LIMITS, MAX_WAIT_MS, type Decision} from '../../../src/core/launch/policy.js'

const settings = {retries: 2, backoffMs: 1000}
const outcome = (cls: AttemptClass, resetInMs: number | null = null) => ({class: cls, message: `${cls} here`, resetInMs})

describe('decide: what follows an attempt', () => {
  const table: Array<[string, ReturnType<typeof outcome>, {tries: number; rateLimits: number}, Decision]> = [
    ['ok is done', outcome('ok'), {tries: 0, rateLimits: 0}, {action: 'done'}],
    ['auth halts the launch at once, even with retries left', outcome('auth'), {tries: 0, rateLimits: 0}, {action: 'halt', reason: 'auth here (retrying would fail every packet the same way)'}],
    ['a crash with retries left is retried after the first backoff', outcome('crash'), {tries: 0, rateLimits: 0}, {action: 'retry', inMs: 1000, counters: {tries: 1, rateLimits: 0}}],
    ['the second retry waits twice as long', outcome('timeout'), {tries: 1, rateLimits: 0}, {action: 'retry', inMs: 2000, counters: {tries: 2, rateLimits: 0}}],
    ['invalid output with no retries left fails', outcome('invalid-output'), {tries: 2, rateLimits: 0}, {action: 'fail'}],
    ['a rate limit with a reset time pauses the agent that long', outcome('rate-limited', 45_000), {tries: 2, rateLimits: 0}, {action: 'pause', inMs: 45_000, counters: {tries: 2, rateLimits: 1}}],
    ['a rate limit without one backs off exponentially and keeps the retries', outcome('rate-limited'), {tries: 0, rateLimits: 3}, {action: 'pause', inMs: 8000, counters: {tries: 0, rateLimits: 4}}],
    ['the rate-limit backoff stops doubling after 8 rate limits', outcome('rate-limited'), {tries: 0, rateLimits: 9}, {action: 'pause', inMs: 256_000, counters: {tries: 0, rateLimits: 10}}],
    ['a reset time past a day ("try again in 800 hours") pauses a day, never past what a timer holds', outcome('rate-limited', 800 * 3600_000), {tries: 0, rateLimits: 0}, {action: 'pause', inMs: MAX_WAIT_MS, counters: {tries: 0, rateLimits: 1}}],
    [`after ${MAX_RATE_LIMITS} rate limits the packet fails`, outcome('rate-limited', 1000), {tries: 0, rateLimits: MAX_RATE_LIMITS}, {action: 'fail'}],
  ]
  it.each(table)('%s', (_name, o, counters, expected) => {
    expect(decide(o, counters, settings, () => 0)).toEqual(expected)
  })

  it('the 30th retry of a 5 s backoff waits a day, not 85 years (past what a timer holds)', () => {
    expect(decide(outcome('crash'), {tries: 29, rateLimits: 0}, {retries: 40, backoffMs: 5000}, () => 0)).toEqual({action: 'retry', inMs: MAX_WAIT_MS, counters: {tries: 30, rateLimits: 0}})
  })

  it('jitter adds at most 25 % to a backoff', () => {
    expect(decide(outcome('crash'), {tries: 0, rateLimits: 0}, settings, () => 0.999)).toMatchObject({inMs: 1250})
  })

  it('caps a long backoff without a reset at 10 minutes', () => {
    expect(decide(outcome('rate-limited'), {tries: 0, rateLimits: 8}, {retries: 0, backoffMs: 60_000}, () => 0)).toMatchObject({action: 'pause', inMs: 600_000})
  })
})

describe('halting', () => {
  it.each([
    [3, 3, 0.25, null],
    [4, 1, 0.25, '1 of 4 finished packets failed (--halt 25%)'],
    [4, 0, 0.25, null],
    [10, 2, 0.25, null],
    [10, 10, Number.POSITIVE_INFINITY, null],
  ])('%i finished, %i failed, --halt %s → %s', (finished, failed, share, expected) => {
    expect(haltForFailures(finished, failed, share)).toBe(expected)
  })

  it('halts on cost only once the limit is reached, and never without one', () => {
    expect(haltForCost(0.02, 0.03)).toBeNull()
    expect(haltForCost(0.03, 0.03)).toBe('spent $0.03 of the $0.03 allowed (--max-cost-usd)')
    expect(haltForCost(1000, null)).toBeNull()
  })
})
