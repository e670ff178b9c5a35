import {UsageError} from '../errors.js'

/**
 * A command given on the command line (--agent-cmd, --notify): a JSON array of strings, or words
 * split on white space. Never a shell string: no quotes, no globbing, no $VARIABLES.
 */
export function parseCommandWords(template: string, flag: string, code: string): string[] {
  const trimmed = template.trim()
  if (trimmed.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch {
      parsed = null
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a) => typeof a === 'string')) {
      throw new UsageError({code, message: `${flag} ${trimmed} is not a JSON array of strings.`, hint: 'Write ["my-agent", "--packet", "{packet}"], or words separated by spaces.'})
    }
    return parsed
  }
  const words = trimmed.split(/\s+/).filter(Boolean)
  if (words.length === 0) throw new UsageError({code, message: `${flag} is empty.`, hint: 'Give the command and its arguments.'})
  return words
}
