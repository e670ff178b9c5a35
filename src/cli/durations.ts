import {UsageError} from '../core/errors.js'

/**
 * The longest duration any flag takes. Node's timers hold at most 2^31-1 ms (≈ 24.8 days): a longer
 * delay overflows to 1 ms, so `--timeout 600h` used to time every attempt out at once. A day is far
 * more than any agent attempt, pause or backoff needs.
 */
export const MAX_DURATION_MS = 24 * 3_600_000

export interface DurationBounds {
  /** 0 is a meaningful value (no pause, KILL at once); otherwise the duration must be above 0 */
  zero?: boolean
  /** the shortest duration taken (default 1 ms, or 0 with `zero`), and how to write it in messages */
  min?: {ms: number; text: string}
  /** the longest (default 24 h: a timer's limit); a duration no timer waits for (a token's life) may be longer */
  max?: {ms: number; text: string}
}

const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/** "30m", "5s", "1500ms", "2h", "7d", or a bare number of seconds; from 1 ms (or 0) to 24 h unless `bounds` say otherwise. */
export function parseDuration(text: string, flag: string, bounds: DurationBounds = {}): number {
  const min = bounds.min ?? (bounds.zero ? {ms: 0, text: '0'} : {ms: 1, text: '1ms'})
  const max = bounds.max ?? {ms: MAX_DURATION_MS, text: '24h'}
  const range = `${min.text} to ${max.text}`
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text)
  if (!m) throw new UsageError({code: 'E_DURATION', message: `--${flag} ${text} is not a duration (${range}).`, hint: 'Write 30m, 45s, 1500ms or 2h.', details: {flag, value: text}})
  const ms = Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? 's').toLowerCase()]!)
  if (ms > max.ms) throw new UsageError({code: 'E_DURATION_RANGE', message: `--${flag} ${text} is too long: durations go from ${range}.`, hint: `Give --${flag} ${max.text} or less.`, details: {flag, value: text, maxMs: max.ms}})
  if (ms === 0 && !bounds.zero && !bounds.min) throw new UsageError({code: 'E_DURATION_RANGE', message: `--${flag} ${text} would stop every attempt at once: durations go from ${range}.`, hint: `Give --${flag} a duration above 0, e.g. 30m.`, details: {flag, value: text}})
  if (ms < min.ms) throw new UsageError({code: 'E_DURATION_RANGE', message: `--${flag} ${text} is too short: durations go from ${range}.`, hint: `Give --${flag} ${min.text} or more.`, details: {flag, value: text, minMs: min.ms}})
  return ms
}

/** "25%" or "0.25" → 0.25; "never" → never (Infinity). */
export function parseShare(text: string, flag: string): number {
  if (/^\s*(never|off)\s*$/i.test(text)) return Number.POSITIVE_INFINITY
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text)
  const value = m ? (m[2] ? Number(m[1]) / 100 : Number(m[1])) : NaN
  if (!(value > 0 && value <= 1)) throw new UsageError({code: 'E_SHARE', message: `--${flag} ${text} is not a share of packets.`, hint: 'Write 25% or 0.25, or never.'})
  return value
}

/** "2.50" or "$2.50": an amount of US dollars above 0 (NaN, Infinity, negatives and words refused). */
export function parseUsd(text: string, flag: string): number {
  const m = /^\s*\$?\s*(\d+(?:\.\d+)?)\s*$/.exec(text)
  const value = m ? Number(m[1]) : NaN
  if (!(Number.isFinite(value) && value > 0)) throw new UsageError({code: 'E_USD', message: `--${flag} ${text} is not an amount of dollars above 0.`, hint: `Write a number of US dollars, e.g. --${flag} 2.50.`, details: {flag, value: text}})
  return value
}
