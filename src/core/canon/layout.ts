/**
 * The byte layout of a canon that wicker serialised itself (serializeCanon: 2-space JSON with
 * "baskets" as the last top-level key). There every basket is one member of the container, starting
 * on a line of its own at a 4-space indent,
 *
 *     {\n  "version": …,\n  "metadata": {…},\n  "baskets": {\n    "ID": {…},\n    "ID": {…}\n  }\n}\n
 *
 * and ends where the next `,\n    "` or the container's closing `\n  }` begins. A raw newline never
 * occurs inside a JSON string and every deeper line is indented further, so these byte patterns
 * cannot match anywhere else. This lets preview read a 100 MB canon without parsing it, and merge
 * write it by splicing, leaving every untouched basket's bytes exactly where they were.
 *
 * It is only used on bytes the canon index names by sha256 as written by wicker; everything else is
 * parsed in full. Any surprise (a scalar basket, a key twice, a missing separator) gives null, and
 * the caller parses in full.
 */
export interface BasketSpan {
  id: string
  /** offset of the member's first byte (its indent) */
  start: number
  /** offset of the value's first byte */
  valueStart: number
  /** offset just after the value */
  end: number
}

export interface CanonLayout {
  bytes: Buffer
  /** offset of `\n  "baskets": {`: what comes before it is the rest of the document */
  containerAt: number
  spans: BasketSpan[]
}

const CONTAINER = Buffer.from('\n  "baskets": {')
const MEMBER = Buffer.from('\n    "')
const CLOSE = Buffer.from('\n  }\n}\n')
const EMPTY = Buffer.from('\n  "baskets": {}\n}\n')
/** how a member is joined to the next, and how the container ends */
export const MEMBER_SEPARATOR = ',\n'
export const CONTAINER_CLOSE = CLOSE.toString()

function endsWith(bytes: Buffer, tail: Buffer): boolean {
  return bytes.length >= tail.length && bytes.compare(tail, 0, tail.length, bytes.length - tail.length) === 0
}

/** Offset of the quote closing the JSON string whose opening quote is at `open`, or -1. */
function stringEnd(bytes: Buffer, open: number, limit: number): number {
  for (let i = open + 1; i < limit; i++) {
    const b = bytes[i]
    if (b === 0x5c) i++
    else if (b === 0x22) return i
    else if (b === 0x0a) return -1
  }
  return -1
}

export function scanLayout(bytes: Buffer): CanonLayout | null {
  if (bytes[0] !== 0x7b) return null
  if (endsWith(bytes, EMPTY)) return {bytes, containerAt: bytes.length - EMPTY.length, spans: []}
  if (!endsWith(bytes, CLOSE)) return null
  // The one top-level line that opens "baskets" (deeper lines are indented further), near the start.
  const containerAt = bytes.indexOf(CONTAINER)
  if (containerAt < 0 || bytes[containerAt - 1] !== 0x2c) return null
  const closeAt = bytes.length - CLOSE.length
  const spans: BasketSpan[] = []
  const seen = new Set<string>()
  let at = containerAt + CONTAINER.length
  for (;;) {
    if (at >= closeAt || bytes.compare(MEMBER, 0, MEMBER.length, at, at + MEMBER.length) !== 0) return null
    const open = at + MEMBER.length - 1
    const close = stringEnd(bytes, open, closeAt)
    if (close < 0 || bytes[close + 1] !== 0x3a || bytes[close + 2] !== 0x20) return null
    const key = bytes.toString('utf8', open, close + 1)
    const id = key.includes('\\') ? (JSON.parse(key) as string) : key.slice(1, -1)
    const valueStart = close + 3
    // Only objects and arrays are baskets; a full read drops anything else, so it is not this layout.
    if (bytes[valueStart] !== 0x7b && bytes[valueStart] !== 0x5b) return null
    if (seen.has(id)) return null
    seen.add(id)
    const next = bytes.indexOf(MEMBER, valueStart)
    if (next < 0 || next > closeAt) {
      spans.push({id, start: at + 1, valueStart, end: closeAt})
      return {bytes, containerAt, spans}
    }
    if (bytes[next - 1] !== 0x2c) return null
    spans.push({id, start: at + 1, valueStart, end: next - 1})
    at = next
  }
}

/** The document without its baskets, as JSON text: `"baskets": {}` in place of the container. */
export function headerText(layout: CanonLayout): string {
  return `${layout.bytes.toString('utf8', 0, layout.containerAt)}${EMPTY.toString()}`
}

/** One member line as serializeCanon writes it at depth 2. */
export function memberText(id: string, value: unknown): string {
  return basketMemberText(id, value) ?? `    ${JSON.stringify(id)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n    ')}`
}

const isPair = (v: unknown): v is {known: string; target: string} => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const keys = Object.keys(v)
  return keys.length === 2 && keys[0] === 'known' && keys[1] === 'target' && typeof (v as {known: unknown}).known === 'string' && typeof (v as {target: unknown}).target === 'string'
}
const BASKET_KEYS = ['lego', 'practice_phrases', 'is_final_lego', 'phrase_count']

/**
 * The same text for the one shape merge writes (basketValue: LEGO, phrases, is_final_lego, an
 * integer phrase_count), built directly rather than through an indented stringify and a second pass
 * to indent it; null for any other value, which takes the general way. A test holds the two equal.
 */
export function basketMemberText(id: string, value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const keys = Object.keys(value)
  if (keys.length !== 4 || keys.some((k, i) => k !== BASKET_KEYS[i])) return null
  const v = value as {lego: unknown; practice_phrases: unknown; is_final_lego: unknown; phrase_count: unknown}
  const phrases = v.practice_phrases
  if (!isPair(v.lego) || !Array.isArray(phrases) || typeof v.is_final_lego !== 'boolean' || !Number.isSafeInteger(v.phrase_count)) return null
  const q = JSON.stringify
  let text = `    ${q(id)}: {\n      "lego": {\n        "known": ${q(v.lego.known)},\n        "target": ${q(v.lego.target)}\n      },\n      "practice_phrases": [`
  for (let i = 0; i < phrases.length; i++) {
    const p: unknown = phrases[i]
    if (!isPair(p)) return null
    text += `${i === 0 ? '' : ','}\n        {\n          "known": ${q(p.known)},\n          "target": ${q(p.target)}\n        }`
  }
  text += phrases.length === 0 ? ']' : '\n      ]'
  return `${text},\n      "is_final_lego": ${v.is_final_lego},\n      "phrase_count": ${q(v.phrase_count)}\n    }`
}
