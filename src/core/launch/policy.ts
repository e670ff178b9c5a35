import {RETRYABLE, type AttemptClass} from './classify.js'

/**
 * What to do after an attempt, decided from its outcome and the packet's counters alone (no clock,
 * no disk: `random` is passed in), so the whole policy is a table test.
 *
 * - ok: done.
 * - auth: fail and halt the launch (every packet would fail the same way).
 * - rate-limited: pause this agent for every packet (the reset time it gave, else exponential
 *   backoff up to 10 minutes) and try again; this does not use up the packet's retries, up to 10
 *   rate limits in a row, after which it fails.
 * - other retryable classes: retry after exponential backoff (+0–25 % jitter) while retries last.
 * - anything else: fail.
 */
export interface RetryCounters {
  /** retries used on this packet (rate limits excluded) */
  tries: number
  /** rate limits this packet met */
  rateLimits: number
}

export interface RetrySettings {
  retries: number
  backoffMs: number
}

export type Decision =
  | {action: 'done'}
  | {action: 'retry'; inMs: number; counters: RetryCounters}
  | {action: 'pause'; inMs: number; counters: RetryCounters}
  | {action: 'fail'}
  | {action: 'halt'; reason: string}

export const MAX_RATE_LIMITS = 10
export const MAX_PAUSE_MS = 600_000
/** The longest any wait may be: a reset time an agent names ("try again in 800 hours") or a doubled backoff
 *  after many retries. Past Node's 32-bit timers (24.8 days) a wait would fire at once, in a loop. */
export const MAX_WAIT_MS = 24 * 3600_000
const bounded = (ms: number) => Math.min(MAX_WAIT_MS, Math.max(0, ms))

export function decide(outcome: {class: AttemptClass; message: string; resetInMs: number | null}, counters: RetryCounters, settings: RetrySettings, random: () => number = Math.random): Decision {
  if (outcome.class === 'ok') return {action: 'done'}
  if (outcome.class === 'auth') return {action: 'halt', reason: `${outcome.message} (retrying would fail every packet the same way)`}
  if (outcome.class === 'rate-limited') {
    if (counters.rateLimits >= MAX_RATE_LIMITS) return {action: 'fail'}
    const inMs = bounded(outcome.resetInMs ?? Math.min(MAX_PAUSE_MS, settings.backoffMs * 2 ** Math.min(counters.rateLimits, 8)))
    return {action: 'pause', inMs, counters: {...counters, rateLimits: counters.rateLimits + 1}}
  }
  if (RETRYABLE.has(outcome.class) && counters.tries < settings.retries) {
    const tries = counters.tries + 1
    return {action: 'retry', inMs: bounded(Math.round(settings.backoffMs * 2 ** (tries - 1) * (1 + random() * 0.25))), counters: {...counters, tries}}
  }
  return {action: 'fail'}
}

/** Halt once at least 4 packets finished and the failed share reached `share` (--halt never is Infinity). */
export function haltForFailures(finished: number, failed: number, share: number): string | null {
  if (finished >= 4 && failed / finished >= share) return `${failed} of ${finished} finished packets failed (--halt ${Math.round(share * 100)}%)`
  return null
}

/** Halt once the cost agents reported reached the limit. */
export function haltForCost(costUsd: number, maxCostUsd: number | null): string | null {
  if (maxCostUsd !== null && costUsd >= maxCostUsd) return `spent $${costUsd.toFixed(2)} of the $${maxCostUsd} allowed (--max-cost-usd)`
  return null
}
