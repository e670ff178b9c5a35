import {describe, expect, it} from 'vitest'

import {burstOf, rateLimiter} from '../../../src/core/serve/rate-limit.js'

describe('per-token rate limit (token bucket)', () => {
  it('lets a burst of a tenth of a minute through, then refuses with the whole seconds until the next upload', () => {
    let now = 1_000_000
    const limit = rateLimiter(120, () => now)
    expect(burstOf(120)).toBe(12)
    for (let i = 0; i < 12; i++) expect(limit.take('tok_a')).toEqual({ok: true})
    // 120 a minute: one every 500 ms, so the next is 1 s away when rounded up
    expect(limit.take('tok_a')).toEqual({ok: false, retryAfterSeconds: 1})
    now += 499
    expect(limit.take('tok_a').ok).toBe(false)
    now += 1
    expect(limit.take('tok_a')).toEqual({ok: true})
    expect(limit.take('tok_a').ok).toBe(false)
  })

  it('keeps one bucket per token: one token over its limit does not slow another', () => {
    const limit = rateLimiter(6, () => 0)
    expect(limit.take('tok_a')).toEqual({ok: true})
    expect(limit.take('tok_a')).toEqual({ok: false, retryAfterSeconds: 10})
    expect(limit.take('tok_b')).toEqual({ok: true})
  })

  it('never holds more than the burst however long a token was idle', () => {
    let now = 0
    const limit = rateLimiter(60, () => now)
    now = 3_600_000
    const taken = Array.from({length: 10}, () => limit.take('tok_a').ok)
    expect(taken).toEqual([true, true, true, true, true, true, false, false, false, false])
  })
})
