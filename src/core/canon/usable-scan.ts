/**
 * Canon read for the commands that only read it: detect, which needs of each basket only its id and
 * whether some phrase is usable (DOMAIN.md §1.1), preview, and validate and the report, which ask
 * the scan to keep each phrase's span (`spans`). It reads the file's bytes, so the 100 MB text is
 * never decoded into a JS string. Strings are checked byte by byte:
 * UTF-8 is checked once for the whole file (isUtf8), and a string the scan reads itself holds no
 * backslash and no byte below 0x20 (such a byte is a raw control character, which no JSON string
 * holds: the full read refuses it). Keys are decoded (they go into a Map); phrases are not: usable
 * is told from their bytes, with the white space of `String.prototype.trim` in UTF-8.
 *
 * It accepts only what the full read accepts: anything unexpected gives null (a byte
 * order mark, a NUL byte, invalid UTF-8, a raw control character in a string, a container key that
 * is escaped, numeric, a prototype key or there twice) and the caller reads the file in full, which
 * refuses it with its places or reads it as before. Every value not in wicker's shape, and the
 * document with an empty container, are handed back as spans for the caller's strict parse.
 *
 * It imports nothing of wicker's but json-bytes.ts, so that a worker thread can run it without loading the CLI.
 */

import {isUtf8} from 'node:buffer'

import {BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, isJsonSpace, OPEN_ARRAY, OPEN_OBJECT, QUOTE} from '../json-bytes.js'


/** member kinds of a UsableScan */
export const SHAPED_EMPTY = 0
export const SHAPED_USABLE = 1
export const OTHER = 2

/** The container's members and the rest of the document, as offsets into the bytes scanned. */
export interface UsableScan {
  /** the document with an empty container: `{… "baskets": {} …}` */
  header: string
  /** the container's keys, in file order */
  ids: string[]
  /** per member: SHAPED_USABLE or SHAPED_EMPTY (wicker's shape, with or without a usable phrase), or OTHER (a value to parse) */
  kinds: Uint8Array
  /** per member: the byte span of its value */
  starts: Int32Array
  ends: Int32Array
  /** where the texts and fields of the wicker-shaped baskets are, when asked for (scanUsable's `spans`) */
  shaped?: ShapedSpans
}

/**
 * The pieces of every wicker-shaped basket of a scan, as byte offsets, so that its lego, phrases and
 * fields are read without parsing it (byte-basket.ts): a string's span holds no escape (the scan
 * takes only plain strings), so its UTF-8 decoded is the very string a parse makes of it.
 */
export interface ShapedSpans {
  /** per member m (and one more): member m's phrases are entries first[m] up to first[m + 1] of `phrases` */
  first: Int32Array
  /** per phrase: known start, end, target start, end (without the quotes) */
  phrases: Int32Array
  /** per member: the lego's known start, end, target start, end; -1 where it has no lego */
  lego: Int32Array
  /** per member: is_final_lego, 1 true, 0 false, -1 absent */
  final: Int8Array
  /** per member: phrase_count, NaN where absent */
  count: Float64Array
  /** per phrase: 1 when its target is already tidy (plainlyTidy): normalising it would give it back */
  tidyTarget: Uint8Array
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/** One scan of one document; every method gives -1 for what it does not accept. */
class ByteScanner {
  readonly n: number
  /** the two texts of the last pair read: known start, end, target start, end */
  readonly pair = new Int32Array(4)

  constructor(
    readonly b: Uint8Array,
    /** record the pieces of each wicker-shaped basket (basketAt) */
    readonly recording = false,
  ) {
    this.n = b.length
  }

  /** recorded by basketAt: the phrases' spans of every basket read so far (4 a phrase), and the last basket's lego, is_final_lego and phrase_count */
  phraseSpans = new Int32Array(0)
  phraseLength = 0
  tidyTargets = new Uint8Array(0)
  readonly lego = new Int32Array(4)
  final = -1
  count = Number.NaN

  /** keeps the spans of the pair just read */
  #recordPair(): void {
    if (this.phraseLength + 4 > this.phraseSpans.length) {
      this.phraseSpans = grow(this.phraseSpans, new Int32Array(Math.max(1 << 16, this.phraseSpans.length * 2)))
      this.tidyTargets = grow(this.tidyTargets, new Uint8Array(this.phraseSpans.length / 4))
    }
    this.phraseSpans.set(this.pair, this.phraseLength)
    this.tidyTargets[this.phraseLength / 4] = plainlyTidy(this.b, this.pair[2]!, this.pair[3]!) ? 1 : 0
    this.phraseLength += 4
  }

  skipSpace(i: number): number {
    const {b, n} = this
    while (i < n) {
      const c = b[i]!
      if (!isJsonSpace(c)) break
      i++
    }
    return i
  }

  /** The closing quote of the string opened at `open`, escapes skipped (the text is parsed later), or -1. */
  stringEnd(open: number): number {
    const {b, n} = this
    for (let i = open + 1; i < n; i++) {
      const c = b[i]!
      if (c === QUOTE) return i
      if (c === BACKSLASH) i++
    }
    return -1
  }

  /** The closing quote of a string at `open` that holds no backslash and no byte below 0x20, or -1. */
  plainStringEnd(open: number): number {
    const {b, n} = this
    for (let i = open + 1; i < n; i++) {
      const c = b[i]!
      if (c === QUOTE) return i
      if (c === BACKSLASH || c < 0x20) return -1
    }
    return -1
  }

  /** Offset just after the value starting at `i` (brackets matched, strings skipped), or -1. */
  valueEnd(i: number): number {
    const {b, n} = this
    const c = b[i]
    if (c === QUOTE) {
      const end = this.stringEnd(i)
      return end < 0 ? -1 : end + 1
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 0
      for (let j = i; j < n; j++) {
        const d = b[j]!
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
    while (j < n) {
      const d = b[j]!
      if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isJsonSpace(d)) break
      j++
    }
    return j > i ? j : -1
  }

  /** The bytes from `at` are the ASCII `word`. */
  is(at: number, word: string): boolean {
    const {b} = this
    for (let k = 0; k < word.length; k++) if (b[at + k] !== word.charCodeAt(k)) return false
    return true
  }

  /** a delimiter after a scalar in a basket: `,`, `}` or white space */
  delimiter(at: number): boolean {
    const c = this.b[at]
    return c === COMMA || c === CLOSE_OBJECT || isJsonSpace(c)
  }

  /** The text between `start` and `end` holds something other than white space (`slice(…).trim() !== ''` of its UTF-8). */
  hasText(start: number, end: number): boolean {
    return bytesHaveText(this.b, start, end)
  }

  /**
   * `{"known": "…", "target": "…"}` (either order, each once, nothing else) at `i`: the offset after
   * the `}` (the texts' spans in `pair`), or -1.
   */
  pairAt(i: number): number {
    const {b, pair} = this
    if (b[i] !== OPEN_OBJECT) return -1
    let seen = 0
    i = this.skipSpace(i + 1)
    for (;;) {
      if (b[i] !== QUOTE) return -1
      const close = this.plainStringEnd(i)
      if (close < 0) return -1
      const length = close - i - 1
      const which = length === 5 && this.is(i + 1, 'known') ? 1 : length === 6 && this.is(i + 1, 'target') ? 2 : 0
      if (which === 0 || (seen & which) !== 0) return -1
      seen |= which
      i = this.skipSpace(close + 1)
      if (b[i] !== COLON) return -1
      i = this.skipSpace(i + 1)
      if (b[i] !== QUOTE) return -1
      const end = this.plainStringEnd(i)
      if (end < 0) return -1
      const slot = which === 1 ? 0 : 2
      pair[slot] = i + 1
      pair[slot + 1] = end
      i = this.skipSpace(end + 1)
      const c = b[i]
      if (c === COMMA) {
        i = this.skipSpace(i + 1)
        continue
      }
      if (c !== CLOSE_OBJECT || seen !== 3) return -1
      return i + 1
    }
  }

  /** `true` or `false` at `i`, followed by a delimiter: the offset after it, or -1. */
  literal(i: number): number {
    const end = this.is(i, 'true') ? i + 4 : this.is(i, 'false') ? i + 5 : -1
    return end >= 0 && this.delimiter(end) ? end : -1
  }

  /** A non-negative integer of at most 15 digits at `i` (always kept exactly), followed by a delimiter: the offset after it, or -1. */
  integer(i: number): number {
    const {b, n} = this
    let j = i
    while (j < n && b[j]! >= 0x30 && b[j]! <= 0x39) j++
    const digits = j - i
    if (digits === 0 || digits > 15 || (digits > 1 && b[i] === 0x30)) return -1
    return this.delimiter(j) ? j : -1
  }

  /**
   * A basket in the shape wicker writes ({lego: {known, target}, practice_phrases: [{known,
   * target}…], is_final_lego, phrase_count}, any of them missing, each once) at `start`: the offset
   * after it, with `usable` set; -1 for any other value.
   */
  basketAt(start: number): number {
    const {b, pair, recording} = this
    this.usable = false
    if (recording) {
      this.lego.fill(-1)
      this.final = -1
      this.count = Number.NaN
    }
    if (b[start] !== OPEN_OBJECT) return -1
    let seen = 0
    let i = this.skipSpace(start + 1)
    if (b[i] === CLOSE_OBJECT) return i + 1
    for (;;) {
      if (b[i] !== QUOTE) return -1
      const close = this.plainStringEnd(i)
      if (close < 0) return -1
      const length = close - i - 1
      const which =
        length === 4 && this.is(i + 1, 'lego') ? LEGO : length === 16 && this.is(i + 1, 'practice_phrases') ? PHRASES : length === 13 && this.is(i + 1, 'is_final_lego') ? FINAL : length === 12 && this.is(i + 1, 'phrase_count') ? COUNT : 0
      if (which === 0 || (seen & which) !== 0) return -1
      seen |= which
      i = this.skipSpace(close + 1)
      if (b[i] !== COLON) return -1
      i = this.skipSpace(i + 1)
      if (which === LEGO) {
        i = this.pairAt(i)
        if (recording) this.lego.set(pair)
      } else if (which === PHRASES) {
        if (b[i] !== OPEN_ARRAY) return -1
        i = this.skipSpace(i + 1)
        if (b[i] === CLOSE_ARRAY) i++
        else {
          for (;;) {
            i = this.pairAt(i)
            if (i < 0) return -1
            if (recording) this.#recordPair()
            if (!this.usable && this.hasText(pair[0]!, pair[1]!) && this.hasText(pair[2]!, pair[3]!)) this.usable = true
            i = this.skipSpace(i)
            const c = b[i]
            if (c === COMMA) {
              i = this.skipSpace(i + 1)
              continue
            }
            if (c !== CLOSE_ARRAY) return -1
            i++
            break
          }
        }
      } else if (which === FINAL) {
        if (recording) this.final = b[i] === 0x74 ? 1 : 0 // t(rue); anything else is refused by literal
        i = this.literal(i)
      } else {
        const from = i
        i = this.integer(i)
        if (recording && i >= 0) {
          let value = 0
          for (let k = from; k < i; k++) value = value * 10 + (b[k]! - 0x30)
          this.count = value
        }
      }
      if (i < 0) return -1
      i = this.skipSpace(i)
      const c = b[i]
      if (c === COMMA) {
        i = this.skipSpace(i + 1)
        continue
      }
      if (c !== CLOSE_OBJECT) return -1
      return i + 1
    }
  }

  /** set by basketAt: some phrase has text on both sides */
  usable = false

  /** The text of the bytes from `start` to `end` (ASCII is read as one byte a character, without a decoder). */
  text(start: number, end: number): string {
    const {b} = this
    let ascii = true
    for (let k = start; k < end; k++) {
      if (b[k]! >= 0x80) {
        ascii = false
        break
      }
    }
    if (ascii && end - start <= 32) {
      let out = ''
      for (let k = start; k < end; k++) out += String.fromCharCode(b[k]!)
      return out
    }
    return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString(ascii ? 'latin1' : 'utf8')
  }
}

/**
 * The UTF-8 of a plain string (no byte below 0x20, so of the ASCII white space only the space) between
 * `start` and `end` holds something other than white space: `slice(…).trim() !== ''` of the text,
 * and `/\S/.test(…)`, whose white space is trim's.
 */
export function bytesHaveText(b: Uint8Array, start: number, end: number): boolean {
  let i = start
  while (i < end) {
    const c = b[i]!
    // a plain string holds no byte below 0x20, so of the ASCII white space only the space
    if (c === 0x20) i++
    else if (c === 0xc2 && b[i + 1] === 0xa0) i += 2 // U+00A0
    else if (c === 0xe1 && b[i + 1] === 0x9a && b[i + 2] === 0x80) i += 3 // U+1680
    else if (c === 0xe2) {
      const c1 = b[i + 1]
      const c2 = b[i + 2]!
      // U+2000–200A, U+2028, U+2029, U+202F; U+205F
      if ((c1 === 0x80 && ((c2 >= 0x80 && c2 <= 0x8a) || c2 === 0xa8 || c2 === 0xa9 || c2 === 0xaf)) || (c1 === 0x81 && c2 === 0x9f)) i += 3
      else return true
    } else if (c === 0xe3 && b[i + 1] === 0x80 && b[i + 2] === 0x80) i += 3 // U+3000
    else if (c === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf) i += 3 // U+FEFF
    else return true
  }
  return false
}

/**
 * Whether the UTF-8 of a plain string (no byte below 0x20) between `start` and `end` is text that
 * `tidy` (text/normalize.ts) gives back unchanged, told from its bytes: not empty, every code point
 * below U+0300 (which NFC never changes: no byte from 0xCC up, continuation bytes being below 0xC0),
 * no white space but single spaces between other characters (`bytesHaveText`'s white space: U+00A0
 * is the only one below U+0300 besides the space). false says nothing: tidy it.
 */
export function plainlyTidy(b: Uint8Array, start: number, end: number): boolean {
  if (end <= start || b[start] === 0x20 || b[end - 1] === 0x20) return false
  let space = false
  for (let i = start; i < end; i++) {
    const c = b[i]!
    if (c === 0x20) {
      if (space) return false
      space = true
      continue
    }
    space = false
    if (c >= 0xcc || (c === 0xc2 && b[i + 1] === 0xa0)) return false
  }
  return true
}

const LEGO = 1
const PHRASES = 2
const FINAL = 4
const COUNT = 8

/**
 * The container's members of canon bytes (wicker-shaped baskets told usable or not, others as spans
 * to parse) and the rest of the document; null: read the file in full. `maxDepth` is the strict
 * depth cap: a basket is read here only when its phrases (at depth 4 of the document) are within it.
 */
export function scanUsable(bytes: Uint8Array, maxDepth: number, options: {spans?: boolean} = {}): UsableScan | null {
  if (bytes[0] !== OPEN_OBJECT || bytes.indexOf(0) >= 0 || !isUtf8(bytes)) return null
  const scan = new ByteScanner(bytes, options.spans === true)
  const {n} = scan
  let i = scan.skipSpace(1)
  let container: {start: number; end: number; read: Omit<UsableScan, 'header'>} | null = null
  if (bytes[i] === CLOSE_OBJECT) return null
  for (;;) {
    if (bytes[i] !== QUOTE) return null
    const close = scan.stringEnd(i)
    if (close < 0) return null
    const isBaskets = close - i === 8 && scan.is(i + 1, 'baskets')
    i = scan.skipSpace(close + 1)
    if (bytes[i] !== COLON) return null
    i = scan.skipSpace(i + 1)
    let end: number
    if (isBaskets) {
      // a second "baskets" is a duplicate key: the full read refuses it
      if (container || bytes[i] !== OPEN_OBJECT) return null
      const read = containerMembers(scan, i, maxDepth)
      if (!read) return null
      container = {start: i, end: read.end, read: read.members}
      end = read.end
    } else end = scan.valueEnd(i)
    if (end < 0) return null
    i = scan.skipSpace(end)
    if (bytes[i] === COMMA) {
      i = scan.skipSpace(i + 1)
      continue
    }
    if (bytes[i] !== CLOSE_OBJECT || scan.skipSpace(i + 1) !== n) return null
    break
  }
  if (!container) return null
  return {header: `${scan.text(0, container.start)}{}${scan.text(container.end, n)}`, ...container.read}
}

/** The members of the container whose `{` is at `open`, and the offset after its `}`; null when it is not read here. */
function containerMembers(scan: ByteScanner, open: number, maxDepth: number): {members: Omit<UsableScan, 'header'>; end: number} | null {
  const {b} = scan
  const ids: string[] = []
  let kinds = new Uint8Array(1024)
  let starts = new Int32Array(1024)
  let ends = new Int32Array(1024)
  const seen = new Set<string>()
  const {recording} = scan
  let firstPhrase = new Int32Array(recording ? 1025 : 0)
  let lego = new Int32Array(recording ? 4096 : 0)
  let final = new Int8Array(recording ? 1024 : 0)
  let count = new Float64Array(recording ? 1024 : 0)
  // phrases open at depth 4 of the document (document, container, basket, practice_phrases)
  const shaped = maxDepth > 4
  const done = (end: number) => {
    const m = ids.length
    const shaped: ShapedSpans | undefined = recording ? {first: firstPhrase.slice(0, m + 1), phrases: scan.phraseSpans.slice(0, scan.phraseLength), lego: lego.slice(0, 4 * m), final: final.slice(0, m), count: count.slice(0, m), tidyTarget: scan.tidyTargets.slice(0, scan.phraseLength / 4)} : undefined
    return {members: {ids, kinds: kinds.slice(0, m), starts: starts.slice(0, m), ends: ends.slice(0, m), ...(shaped ? {shaped} : {})}, end}
  }
  let i = scan.skipSpace(open + 1)
  if (b[i] === CLOSE_OBJECT) return done(i + 1)
  for (;;) {
    if (b[i] !== QUOTE) return null
    // a key the scan reads itself: no escape, not numeric (JSON.parse would reorder it), no prototype key, once
    const close = scan.plainStringEnd(i)
    if (close < 0 || close === i + 1) return null
    const first = b[i + 1]!
    if (first >= 0x30 && first <= 0x39) return null
    const key = scan.text(i + 1, close)
    if (FORBIDDEN.has(key) || seen.has(key)) return null
    seen.add(key)
    i = scan.skipSpace(close + 1)
    if (b[i] !== COLON) return null
    const start = scan.skipSpace(i + 1)
    // a basket in wicker's shape is read to its end here; any other value is skipped to its end
    const mark = scan.phraseLength
    let end = shaped ? scan.basketAt(start) : -1
    const kind = end >= 0 ? (scan.usable ? SHAPED_USABLE : SHAPED_EMPTY) : OTHER
    if (end < 0) {
      // the phrases recorded of a value that turned out not to be in wicker's shape are not its
      scan.phraseLength = mark
      end = scan.valueEnd(start)
    }
    if (end < 0) return null
    const at = ids.length
    if (at === kinds.length) {
      kinds = grow(kinds, new Uint8Array(at * 2))
      starts = grow(starts, new Int32Array(at * 2))
      ends = grow(ends, new Int32Array(at * 2))
      if (recording) {
        firstPhrase = grow(firstPhrase, new Int32Array(at * 2 + 1))
        lego = grow(lego, new Int32Array(at * 8))
        final = grow(final, new Int8Array(at * 2))
        count = grow(count, new Float64Array(at * 2))
      }
    }
    ids.push(key)
    kinds[at] = kind
    starts[at] = start
    ends[at] = end
    if (recording) {
      firstPhrase[at + 1] = scan.phraseLength / 4
      if (kind === OTHER) {
        lego.fill(-1, 4 * at, 4 * at + 4)
        final[at] = -1
        count[at] = Number.NaN
      } else {
        lego.set(scan.lego, 4 * at)
        final[at] = scan.final
        count[at] = scan.count
      }
    }
    i = scan.skipSpace(end)
    if (b[i] === COMMA) {
      i = scan.skipSpace(i + 1)
      continue
    }
    if (b[i] !== CLOSE_OBJECT) return null
    return done(i + 1)
  }
}

function grow<T extends Uint8Array | Int8Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from)
  return to
}
