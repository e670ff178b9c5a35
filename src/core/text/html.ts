/**
 * Escaping for HTML pages made from course text (the report, serve's page). Everything shown comes from a course folder, which is untrusted: a
 * seed label, a phrase or a packet id may hold `</script>`, `<!--`, quotes or bidi controls.
 */

const TEXT: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD'}
const ATTR: Record<string, string> = {...TEXT, '"': '&quot;', "'": '&#39;'}

/** Text for HTML (or SVG) element content. NUL, which the parser would drop or replace, becomes U+FFFD. */
export const escapeText = (text: unknown): string => String(text).replace(/[&<>\0]/g, (ch) => TEXT[ch]!)

/** Text for a quoted attribute value (either quote). */
export const escapeAttr = (text: unknown): string => String(text).replace(/[&<>"'\0]/g, (ch) => ATTR[ch]!)

/**
 * Course text in HTML content, isolated from the text around it: a right-to-left override in a seed
 * label cannot reorder the numbers that follow it.
 */
export const isolated = (text: unknown): string => `<bdi>${escapeText(text)}</bdi>`

/** The same for an attribute (aria-label, title): first-strong isolate … pop directional isolate. */
export const isolatedAttr = (text: unknown): string => escapeAttr(`\u2068${String(text)}\u2069`)

const JSON_ESCAPES: Record<string, string> = {'<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029'}

/**
 * `value` as JSON for the body of a `<script type="application/json">`: no `<` is left, so no course
 * text can close the script (`</script>`) or open a comment (`<!--`) that swallows the rest of the
 * page; `>`, `&` and U+2028/2029 are escaped too (harmless in a data block, but the text stays valid
 * JavaScript and safe if someone pastes it into one). JSON.stringify already writes lone surrogates as
 * `\udxxx`, so the text is well-formed UTF-8. `JSON.parse(textContent)` gives back `value`.
 */
export function embedJson(value: unknown): string {
  const json = JSON.stringify(value)
  if (json === undefined) throw new TypeError('embedJson: the value has no JSON form (undefined, a function or a symbol)')
  return json.replace(/[<>&\u2028\u2029]/g, (ch) => JSON_ESCAPES[ch]!)
}
