import {UsageError} from '../core/errors.js'

/** "30m", "5s", "1500ms", "2h", or a bare number of seconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text)
  if (!m) throw new UsageError({code: 'E_DURATION', message: `--${flag} ${text} is not a duration.`, hint: 'Write 30m, 45s, 1500ms or 2h.'})
  const unit = (m[2] ?? 's').toLowerCase()
  return Math.round(Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000))
}

/** "25%" or "0.25" → 0.25; "never" → never (Infinity). */
export function parseShare(text: string, flag: string): number {
  if (/^\s*(never|off)\s*$/i.test(text)) return Number.POSITIVE_INFINITY
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text)
  const value = m ? (m[2] ? Number(m[1]) / 100 : Number(m[1])) : NaN
  if (!(value > 0 && value <= 1)) throw new UsageError({code: 'E_SHARE', message: `--${flag} ${text} is not a share of packets.`, hint: 'Write 25% or 0.25, or never.'})
  return value
}
