import {closest, distance} from 'fastest-levenshtein'

/**
 * The nearest known name to a mistyped one, or undefined when nothing is near enough to be a typo
 * (`wicker foo` should not suggest `init`).
 */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined
  const best = closest(typed, [...known])
  return distance(typed, best) <= Math.max(2, Math.ceil(typed.length / 3)) ? best : undefined
}

/**
 * oclif's parser says "Nonexistent flag: --jsn" and no more; this adds the flag meant, from the
 * command's own flags, to the message.
 */
export function withFlagSuggestion(error: Error & {flags?: unknown}, flags: Record<string, {char?: string}> | undefined): void {
  if (!Array.isArray(error.flags) || !flags || /Did you mean/.test(error.message)) return
  const single = error.flags.length === 1
  const names = Object.keys(flags).map((name) => `--${name}`)
  const tips = error.flags
    .filter((f): f is string => typeof f === 'string' && f.startsWith('--'))
    .map((f) => f.split('=')[0] ?? f)
    .map((typed) => [typed, nearest(typed, names)] as const)
    .filter(([, near]) => near !== undefined)
    .map(([typed, near]) => (single ? `did you mean ${near}?` : `${typed}: did you mean ${near}?`))
  if (tips.length === 0) return
  const [first = '', ...rest] = error.message.split('\n')
  error.message = [`${first.trimEnd()} (${tips.join('; ')})`, ...rest].join('\n')
}
