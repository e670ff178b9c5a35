import type {ATTEMPT_CLASSES} from '../schemas/ledger.js'

export type AttemptClass = (typeof ATTEMPT_CLASSES)[number]

/** Classes worth another attempt; auth never is (it would fail every packet the same way). */
export const RETRYABLE: ReadonlySet<AttemptClass> = new Set(['invalid-output', 'rate-limited', 'timeout', 'crash'])

export interface AttemptFacts {
  exitCode: number | null
  signal: string | null
  timedOut: 'wall' | 'idle' | null
  spawnError: string | null
  text: string
  /** the agent itself reported an error (is_error, turn.failed, an error field) */
  agentError: string | null
  /** an exit code that means auth or bad input for this agent (gemini: 42) */
  authExit: boolean
  output: {valid: true} | {valid: false; reason: string}
  /**
   * The output could not even be looked at: a FIFO, symlink or folder at the output path, a file
   * over the size cap, or more printed than the cap (the agent was stopped for it). Whatever the
   * exit code, that is invalid output, with this message.
   */
  refused?: string | null
  /** the class the agent itself reported for sure (wicker's openai-compatible agent: an HTTP status read), with a reset */
  reported?: {class: AttemptClass; resetInMs: number | null} | null
  /** the agent said in a structured event that its rate limit was hit, with the reset it named (AgentReport.rateLimit) */
  rateLimit?: {resetInMs: number | null} | null
}

export interface Classification {
  class: AttemptClass
  message: string
  /** when a rate limit says when it resets, in ms from now */
  resetInMs: number | null
}

const AUTH = /invalid api key|unauthori[sz]ed|\b401\b|please run \/login|not logged in|authentication (failed|error)|api key not (valid|found)|forbidden|\b403\b/i
const RATE = /rate.?limit|\b429\b|temporarily limiting|hit your limit|usage limit|quota|overloaded|\b529\b|too many requests|resource.?exhausted/i

/** "resets in 2s", "retry after 30", "Retry-After: 45", "try again in 5 minutes", "resets 1pm". */
export function parseReset(text: string, now = new Date()): number | null {
  const relative = /(?:resets?|retry[- ]after|try again)\s*(?:in|after|:)?\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)?\b/i.exec(text)
  if (relative) {
    const n = Number(relative[1])
    const unit = (relative[2] ?? 's').toLowerCase()
    const factor = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1000
    return Math.round(n * factor)
  }
  const clock = /resets?\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?/i.exec(text)
  if (clock) {
    let hour = Number(clock[1]) % 12
    if (clock[3]?.toLowerCase() === 'pm') hour += 12
    if (!clock[3] && Number(clock[1]) >= 12) hour = Number(clock[1])
    const at = new Date(now)
    at.setHours(hour, Number(clock[2] ?? 0), 0, 0)
    if (at <= now) at.setDate(at.getDate() + 1)
    return at.getTime() - now.getTime()
  }
  return null
}

export function classify(f: AttemptFacts): Classification {
  const shortText = (s: string) => s.trim().split('\n').filter(Boolean).slice(-3).join(' / ').slice(0, 300)
  if (f.output.valid) return {class: 'ok', message: 'output valid', resetInMs: null}
  if (f.refused) return {class: 'invalid-output', message: f.refused, resetInMs: null}
  if (f.timedOut) return {class: 'timeout', message: f.timedOut === 'idle' ? 'no output for too long (--idle-timeout)' : 'ran too long (--timeout)', resetInMs: null}
  if (f.spawnError) return {class: f.spawnError.includes('ENOENT') ? 'auth' : 'crash', message: `could not start the agent: ${f.spawnError}`, resetInMs: null}
  if (f.reported && f.reported.class !== 'ok') return {class: f.reported.class, message: shortText(f.agentError ?? '') || f.output.reason, resetInMs: f.reported.resetInMs}
  const said = `${f.agentError ?? ''}\n${f.text}`
  // a structured "limit hit" is stronger than any words, and its reset time than any written one
  if (f.rateLimit) return {class: 'rate-limited', message: shortText(f.agentError ?? f.text) || 'the agent said its rate limit was hit', resetInMs: f.rateLimit.resetInMs ?? parseReset(said)}
  if (f.authExit || AUTH.test(said)) return {class: 'auth', message: shortText(f.agentError ?? f.text) || 'authentication or configuration error', resetInMs: null}
  if (RATE.test(said)) return {class: 'rate-limited', message: shortText(f.agentError ?? f.text), resetInMs: parseReset(said)}
  if (f.agentError || f.signal || (f.exitCode !== null && f.exitCode !== 0)) {
    return {class: 'crash', message: f.agentError ?? (shortText(f.text) || (f.signal ? `killed by ${f.signal}` : `exit code ${f.exitCode}`)), resetInMs: null}
  }
  return {class: 'invalid-output', message: f.output.reason, resetInMs: null}
}
