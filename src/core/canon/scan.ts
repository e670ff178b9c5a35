/**
 * Canon read for commands that only read it (validate, detect, report): the file's text is decoded
 * once and scanned, and a basket in the shape wicker writes keeps its phrases as spans of that text
 * (SpanBasket), made into strings only when a check asks for them. A 100,000-LEGO canon then leaves
 * almost nothing for the garbage collector to copy: no parse tree, no copy of every phrase.
 *
 * The scan checks the document's top-level punctuation and the `baskets` container's itself
 * (`{`, members `"key": value` separated by commas, `}`); everything else is parsed: the rest of
 * the document (with `"baskets": {}` in the container's place) and each basket not in wicker's
 * shape by JSON.parse with the strict checks (strict.ts), and a basket in wicker's shape by the
 * small parser below, which accepts only what JSON.parse and the strict checks accept (no escapes,
 * no raw control characters, each key once, safe integers). A JSON object, array or string is never
 * a proper prefix of another value, and a scalar is cut at the first delimiter, so a span that
 * parses is the very value a parser of the whole document reads there.
 *
 * Anything unexpected gives null (a byte order mark, a NUL byte, invalid UTF-8, a raw control
 * character, a container key that is escaped, numeric (JSON.parse would reorder it), a prototype
 * key or there twice, a refused part): the caller reads the file in full, which refuses it with
 * its places or reads it as before.
 */

import {strictUtf8} from '../store/read-json.js'
import {FORBIDDEN_KEYS} from '../strict-json.js'
import type {TextPair} from '../course/model.js'
import type {CanonBasket, CanonPhrase} from './model.js'
import {BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, isJsonSpace, OPEN_ARRAY, OPEN_OBJECT, QUOTE} from './json-bytes.js'

/** control characters JSON allows only as white space between tokens (which are the other three) */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/

/** White space as `String.prototype.trim` and `\s` know it. */
function isTrimSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d)
  if (c < 0xa0) return false
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
}

/** The text between `start` and `end` holds something other than white space: `slice(…).trim() !== ''`. */
function hasText(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isTrimSpace(text.charCodeAt(i))) return true
  return false
}

/**
 * Phrase spans of every SpanBasket of one canon: four offsets a phrase (known start and end,
 * target start and end, without the quotes), in one growing array the collector never has to copy
 * piece by piece.
 */
class Spans {
  data = new Int32Array(1 << 16)
  length = 0
  push(a: number, b: number, c: number, d: number): void {
    if (this.length + 4 > this.data.length) {
      const next = new Int32Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    const at = this.length
    this.data[at] = a
    this.data[at + 1] = b
    this.data[at + 2] = c
    this.data[at + 3] = d
    this.length = at + 4
  }
}

/**
 * A basket in the shape wicker writes ({lego: {known, target}, practice_phrases: [{known, target}…],
 * is_final_lego, phrase_count}, any of them missing), its text left in the file's text: `phrases`,
 * `lego` and `raw` are made from it each time they are asked for (`raw` once), which is what
 * readBasket makes of the parsed value.
 */
export class SpanBasket implements CanonBasket {
  readonly location = 'baskets' as const
  /** its text was decoded from valid UTF-8 and its strings hold no backslash: no lone surrogate */
  readonly wellFormed = true as const
  #raw: unknown

  constructor(
    readonly id: string,
    readonly isFinalLego: unknown,
    readonly phraseCount: unknown,
    /** some phrase has text on both sides */
    readonly usable: boolean,
    private readonly text: string,
    private readonly spans: Spans,
    /** the span of the basket's value */
    private readonly start: number,
    readonly end: number,
    /** the lego's known and target spans ([-1, …] without a lego) */
    private readonly legoAt: readonly [number, number, number, number],
    /** where this basket's phrases start in `spans`, and how many there are */
    private readonly first: number,
    private readonly count: number,
  ) {}

  get lego(): TextPair | null {
    const [ks, ke, ts, te] = this.legoAt
    return ks < 0 ? null : {known: this.text.slice(ks, ke), target: this.text.slice(ts, te)}
  }

  get phrases(): CanonPhrase[] {
    const {text} = this
    const data = this.spans.data
    const out: CanonPhrase[] = new Array(this.count)
    for (let p = 0, at = this.first; p < this.count; p++, at += 4) out[p] = {known: text.slice(data[at]!, data[at + 1]!), target: text.slice(data[at + 2]!, data[at + 3]!), shape: 'object'}
    return out
  }

  get raw(): unknown {
    return (this.#raw ??= JSON.parse(this.text.slice(this.start, this.end)))
  }
}

/** The text of a canon and where its pieces are; the caller parses the header and the other baskets. */
export interface ScannedCanon {
  text: string
  /** the document with an empty container: `{… "baskets": {} …}` */
  header: string
  /** the container's members in file order: a SpanBasket, or the span of a value to parse */
  members: Array<SpanBasket | {id: string; start: number; end: number}>
}

/** Reads the canonical pieces of one text; every method gives -1 (or null) for what it does not accept. */
class Scanner {
  /** next backslash and next raw white space other than the space at or after the last look (Infinity: none) */
  #backslash = -1
  #newline = -1
  #tab = -1
  #cr = -1

  constructor(readonly text: string) {}

  skipSpace(i: number): number {
    const {text} = this
    while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++
    return i
  }

  /** Offset of the quote closing the string opened at `open` (the first quote not escaped), or -1. */
  stringEnd(open: number): number {
    const {text} = this
    let from = open + 1
    for (;;) {
      const q = text.indexOf('"', from)
      if (q < 0) return -1
      let backslashes = 0
      for (let k = q - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++
      if ((backslashes & 1) === 0) return q
      from = q + 1
    }
  }

  /** Offset just after the value starting at `i` (brackets matched, strings skipped), or -1. */
  valueEnd(i: number): number {
    const {text} = this
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      const end = this.stringEnd(i)
      return end < 0 ? -1 : end + 1
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 0
      for (let j = i; j < text.length; j++) {
        const d = text.charCodeAt(j)
        if (d === QUOTE) {
          j = this.stringEnd(j)
          if (j < 0) return -1
        } else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++
        else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
          if (--depth === 0) return j + 1
        }
      }
      return -1
    }
    let j = i
    while (j < text.length) {
      const d = text.charCodeAt(j)
      if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isJsonSpace(d)) break
      j++
    }
    return j > i ? j : -1
  }

  /**
   * The closing quote of a string opened at `open` that JSON.parse reads as its very characters: no
   * backslash and no raw tab, newline or carriage return before it (other control characters are not
   * in the text at all); -1 otherwise.
   */
  plainStringEnd(open: number): number {
    const {text} = this
    const close = text.indexOf('"', open + 1)
    if (close < 0) return -1
    if (this.#backslash <= open && this.#backslash !== Infinity) this.#backslash = nextOf(text, '\\', open + 1)
    if (this.#newline <= open && this.#newline !== Infinity) this.#newline = nextOf(text, '\n', open + 1)
    if (this.#tab <= open && this.#tab !== Infinity) this.#tab = nextOf(text, '\t', open + 1)
    if (this.#cr <= open && this.#cr !== Infinity) this.#cr = nextOf(text, '\r', open + 1)
    return this.#backslash < close || this.#newline < close || this.#tab < close || this.#cr < close ? -1 : close
  }

  /** The key a plain string at `open` (closing at `close`) is. */
  key(open: number, close: number): string {
    return this.text.slice(open + 1, close)
  }
}

function nextOf(text: string, ch: string, from: number): number {
  const at = text.indexOf(ch, from)
  return at < 0 ? Infinity : at
}

const LEGO = 1
const PHRASES = 2
const FINAL = 4
const COUNT = 8

/** `true` or `false` at `i`, followed by a delimiter: its value, or null. */
function literal(text: string, i: number): {value: boolean; end: number} | null {
  const value = text.startsWith('true', i) ? true : text.startsWith('false', i) ? false : null
  if (value === null) return null
  const end = i + (value ? 4 : 5)
  const next = text.charCodeAt(end)
  return next === COMMA || next === CLOSE_OBJECT || isJsonSpace(next) ? {value, end} : null
}

/** A non-negative integer of at most 15 digits at `i` (always kept exactly), followed by a delimiter. */
function integer(text: string, i: number): {value: number; end: number} | null {
  let j = i
  while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++
  const digits = j - i
  if (digits === 0 || digits > 15 || (digits > 1 && text.charCodeAt(i) === 0x30)) return null
  const next = text.charCodeAt(j)
  return next === COMMA || next === CLOSE_OBJECT || isJsonSpace(next) ? {value: Number(text.slice(i, j)), end: j} : null
}

/**
 * `{"known": "…", "target": "…"}` (either order, each once, nothing else) at `i`: the four offsets
 * of the two texts and the offset after the `}`, or null.
 */
function pairAt(scan: Scanner, i: number, out: Int32Array): number {
  const {text} = scan
  if (text.charCodeAt(i) !== OPEN_OBJECT) return -1
  let seen = 0
  i = scan.skipSpace(i + 1)
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return -1
    const close = scan.plainStringEnd(i)
    if (close < 0) return -1
    const length = close - i - 1
    const which = length === 5 && text.startsWith('known', i + 1) ? 1 : length === 6 && text.startsWith('target', i + 1) ? 2 : 0
    if (which === 0 || (seen & which) !== 0) return -1
    seen |= which
    i = scan.skipSpace(close + 1)
    if (text.charCodeAt(i) !== COLON) return -1
    i = scan.skipSpace(i + 1)
    if (text.charCodeAt(i) !== QUOTE) return -1
    const end = scan.plainStringEnd(i)
    if (end < 0) return -1
    const slot = which === 1 ? 0 : 2
    out[slot] = i + 1
    out[slot + 1] = end
    i = scan.skipSpace(end + 1)
    const c = text.charCodeAt(i)
    if (c === COMMA) {
      i = scan.skipSpace(i + 1)
      continue
    }
    if (c !== CLOSE_OBJECT || seen !== 3) return -1
    return i + 1
  }
}

/** A basket in wicker's shape starting at `start`, as a SpanBasket; null for any other value. */
function spanBasket(scan: Scanner, spans: Spans, id: string, start: number): SpanBasket | null {
  const {text} = scan
  if (text.charCodeAt(start) !== OPEN_OBJECT) return null
  const pair = new Int32Array(4)
  const mark = spans.length
  let seen = 0
  let legoAt: [number, number, number, number] = [-1, -1, -1, -1]
  let isFinalLego: unknown
  let phraseCount: unknown
  let usable = false
  const fail = () => {
    spans.length = mark
    return null
  }
  let i = scan.skipSpace(start + 1)
  if (text.charCodeAt(i) === CLOSE_OBJECT) i++
  else {
    for (;;) {
      if (text.charCodeAt(i) !== QUOTE) return fail()
      const close = scan.plainStringEnd(i)
      if (close < 0) return fail()
      const key = text.slice(i + 1, close)
      const which = key === 'lego' ? LEGO : key === 'practice_phrases' ? PHRASES : key === 'is_final_lego' ? FINAL : key === 'phrase_count' ? COUNT : 0
      if (which === 0 || (seen & which) !== 0) return fail()
      seen |= which
      i = scan.skipSpace(close + 1)
      if (text.charCodeAt(i) !== COLON) return fail()
      i = scan.skipSpace(i + 1)
      if (which === LEGO) {
        i = pairAt(scan, i, pair)
        if (i < 0) return fail()
        legoAt = [pair[0]!, pair[1]!, pair[2]!, pair[3]!]
      } else if (which === PHRASES) {
        if (text.charCodeAt(i) !== OPEN_ARRAY) return fail()
        i = scan.skipSpace(i + 1)
        if (text.charCodeAt(i) === CLOSE_ARRAY) i++
        else {
          for (;;) {
            i = pairAt(scan, i, pair)
            if (i < 0) return fail()
            spans.push(pair[0]!, pair[1]!, pair[2]!, pair[3]!)
            if (!usable && hasText(text, pair[0]!, pair[1]!) && hasText(text, pair[2]!, pair[3]!)) usable = true
            i = scan.skipSpace(i)
            const c = text.charCodeAt(i)
            if (c === COMMA) {
              i = scan.skipSpace(i + 1)
              continue
            }
            if (c !== CLOSE_ARRAY) return fail()
            i++
            break
          }
        }
      } else if (which === FINAL) {
        const read = literal(text, i)
        if (!read) return fail()
        isFinalLego = read.value
        i = read.end
      } else {
        const read = integer(text, i)
        if (!read) return fail()
        phraseCount = read.value
        i = read.end
      }
      i = scan.skipSpace(i)
      const c = text.charCodeAt(i)
      if (c === COMMA) {
        i = scan.skipSpace(i + 1)
        continue
      }
      if (c !== CLOSE_OBJECT) return fail()
      i++
      break
    }
  }
  return new SpanBasket(id, isFinalLego, phraseCount, usable, text, spans, start, i, legoAt, mark, (spans.length - mark) / 4)
}

/** A container key the scan reads itself: no escape, not numeric (JSON.parse would reorder it), no prototype key. */
function plainKey(scan: Scanner, open: number): {key: string; close: number} | null {
  const close = scan.plainStringEnd(open)
  if (close < 0) return null
  const key = scan.key(open, close)
  const first = key.charCodeAt(0)
  if (key === '' || (first >= 0x30 && first <= 0x39) || FORBIDDEN_KEYS.has(key)) return null
  return {key, close}
}

/**
 * The text of canon bytes, its container's members (wicker-shaped baskets as SpanBaskets) and the
 * rest of the document; null: read the file in full. `maxDepth` is the strict depth cap: a basket
 * is read here only when its phrases (at depth 4 of the document) are within it.
 */
export function scanCanon(bytes: Buffer, maxDepth: number): ScannedCanon | null {
  if (bytes[0] !== OPEN_OBJECT || bytes.indexOf(0) >= 0) return null
  const text = strictUtf8(bytes)
  if (text === null || CONTROL.test(text)) return null
  const scan = new Scanner(text)
  // the top-level object's members, to find "baskets" among them
  let i = scan.skipSpace(1)
  let container: {start: number; end: number; members: ScannedCanon['members']} | null = null
  if (text.charCodeAt(i) === CLOSE_OBJECT) return null
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return null
    const close = scan.stringEnd(i)
    if (close < 0) return null
    const isBaskets = close - i === 8 && text.startsWith('baskets', i + 1)
    i = scan.skipSpace(close + 1)
    if (text.charCodeAt(i) !== COLON) return null
    i = scan.skipSpace(i + 1)
    let end: number
    if (isBaskets) {
      // a second "baskets" is a duplicate key: the full read refuses it
      if (container || text.charCodeAt(i) !== OPEN_OBJECT) return null
      const read = containerMembers(scan, i, maxDepth)
      if (!read) return null
      container = {start: i, end: read.end, members: read.members}
      end = read.end
    } else end = scan.valueEnd(i)
    if (end < 0) return null
    i = scan.skipSpace(end)
    if (text.charCodeAt(i) === COMMA) {
      i = scan.skipSpace(i + 1)
      continue
    }
    if (text.charCodeAt(i) !== CLOSE_OBJECT || scan.skipSpace(i + 1) !== text.length) return null
    break
  }
  if (!container) return null
  return {text, header: `${text.slice(0, container.start)}{}${text.slice(container.end)}`, members: container.members}
}

/** The members of the container whose `{` is at `open`, and the offset after its `}`; null when it is not read here. */
function containerMembers(scan: Scanner, open: number, maxDepth: number): {members: ScannedCanon['members']; end: number} | null {
  const {text} = scan
  const members: ScannedCanon['members'] = []
  const seen = new Set<string>()
  const spans = new Spans()
  // phrases open at depth 4 of the document (document, container, basket, practice_phrases)
  const shaped = maxDepth > 4
  let i = scan.skipSpace(open + 1)
  if (text.charCodeAt(i) === CLOSE_OBJECT) return {members, end: i + 1}
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return null
    const read = plainKey(scan, i)
    if (read === null || seen.has(read.key)) return null
    seen.add(read.key)
    i = scan.skipSpace(read.close + 1)
    if (text.charCodeAt(i) !== COLON) return null
    const start = scan.skipSpace(i + 1)
    // a basket in wicker's shape is read to its end by its own parser; any other value is skipped to its end
    const basket = shaped ? spanBasket(scan, spans, read.key, start) : null
    const end = basket ? basket.end : scan.valueEnd(start)
    if (end < 0) return null
    members.push(basket ?? {id: read.key, start, end})
    i = scan.skipSpace(end)
    if (text.charCodeAt(i) === COMMA) {
      i = scan.skipSpace(i + 1)
      continue
    }
    if (text.charCodeAt(i) !== CLOSE_OBJECT) return null
    return {members, end: i + 1}
  }
}
