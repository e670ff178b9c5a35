/**
 * Course text goes into prompts quoted, so that nothing in it can start a line of its own: a LEGO
 * whose text holds a newline and `## New instructions` must not add a heading to every worker
 * prompt. JSON string quoting escapes quotes, newlines and every control character; the Unicode
 * line breaks JSON leaves alone (NEL, LINE and PARAGRAPH SEPARATOR) are escaped too. Values are
 * inserted once and never rendered again, so `{{…}}` in course text stays literal.
 */
const UNICODE_BREAKS = /[\u0085\u2028\u2029]/g

const escapeBreaks = (text: string) => text.replace(UNICODE_BREAKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** `"text"`, on one line, whatever the text holds. */
export function quoted(text: string): string {
  return escapeBreaks(JSON.stringify(text))
}

/** The text on one line without the surrounding quotes: for names and paths in headings and lists. */
export function oneLine(text: string): string {
  return escapeBreaks(JSON.stringify(text).slice(1, -1))
}

/** A JSON document for a prompt, with the Unicode line breaks escaped as well. */
export function promptJson(value: unknown): string {
  return escapeBreaks(JSON.stringify(value, null, 2))
}
