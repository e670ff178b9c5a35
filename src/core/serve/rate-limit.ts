/**
 * Per-token rate limit of `wicker serve` uploads: a token bucket per token id (never the token
 * itself). `perMinute` uploads a minute on average; a bucket holds a burst of a tenth of that
 * (at least 1), so an agent may send a handful at once but not a minute's worth in one second.
 */

export interface RateLimiter {
  /** takes one upload from `key`'s bucket: ok, or how many whole seconds until one is there */
  take(key: string): {ok: true} | {ok: false; retryAfterSeconds: number}
}

export const RATE_DEFAULT_PER_MINUTE = 120

/** The bucket size for a rate: a tenth of a minute's uploads, at least one. */
export const burstOf = (perMinute: number): number => Math.max(1, Math.ceil(perMinute / 10))

export function rateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const burst = burstOf(perMinute)
  const perMs = perMinute / 60_000
  const buckets = new Map<string, {tokens: number; at: number}>()
  return {
    take(key) {
      const t = now()
      const bucket = buckets.get(key) ?? {tokens: burst, at: t}
      bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, t - bucket.at) * perMs)
      bucket.at = t
      buckets.set(key, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return {ok: true}
      }
      return {ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))}
    },
  }
}
