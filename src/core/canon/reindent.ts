/**
 * A JSON value's bytes written as `JSON.stringify(JSON.parse(value), null, 2)` writes it at some
 * depth of a document, without parsing it: for a merge that serialises a canon another tool wrote
 * (a first merge), whose untouched baskets would otherwise each be parsed into objects only to be
 * stringified again (most of that merge's time, and its garbage).
 *
 * Only where the text is sure to be stringify's is it written here: every string without a
 * backslash (its bytes are then what stringify writes for it: it escapes only quotes, backslashes,
 * control characters and lone surrogates, and bytes that passed a strict scan hold none of those
 * raw), every number as String(Number(literal)) writes it, no key an array index (stringify would
 * move it first). Anything else (or anything that is not JSON) gives false and the caller writes
 * that value the general way. The value must already be strict JSON (usable-scan.ts vouched for
 * it): a key twice is not looked for here.
 */
import {BACKSLASH, isJsonSpace, QUOTE} from '../json-bytes.js'

/** A growing byte buffer. */
export class ByteSink {
  buf: Buffer
  length = 0

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, capacity))
  }

  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n))
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start
    this.reserve(n)
    const {buf} = this
    // most tokens are a few bytes: copied in a loop, without a view object per token
    if (n <= 64) {
      let at = this.length
      for (let i = start; i < end; i++) buf[at++] = src[i]!
    } else buf.set(src.subarray(start, end), this.length)
    this.length += n
  }

  text(text: string): void {
    this.reserve(text.length * 3)
    this.length += this.buf.write(text, this.length, 'utf8')
  }

  byte(b: number): void {
    this.reserve(1)
    this.buf[this.length++] = b
  }

  /** a line break and `spaces` spaces */
  newline(spaces: number): void {
    this.reserve(spaces + 1)
    this.buf[this.length++] = 0x0a
    this.buf.fill(0x20, this.length, this.length + spaces)
    this.length += spaces
  }

  result(): Buffer {
    return this.buf.subarray(0, this.length)
  }
}


function skipSpace(src: Uint8Array, i: number, end: number): number {
  while (i < end && isJsonSpace(src[i])) i++
  return i
}

/** The closing quote of the string opening at `open`, or -1 when it holds a backslash (or does not close). */
function plainStringEnd(src: Uint8Array, open: number, end: number): number {
  // (a loop, not indexOf: a search for a backslash would run on to the end of a canon that has none)
  for (let i = open + 1; i < end; i++) {
    const b = src[i]
    if (b === QUOTE) return i
    if (b === BACKSLASH) return -1
  }
  return -1
}

/** Whether the key's bytes (between its quotes) are an array index, which V8 enumerates first. */
function isIndexKey(src: Uint8Array, start: number, end: number): boolean {
  const n = end - start
  if (n === 0 || n > 10) return false
  for (let i = start; i < end; i++) if (src[i]! < 0x30 || src[i]! > 0x39) return false
  // "0" or no leading zero, below 2^32 - 1
  if (n > 1 && src[start] === 0x30) return false
  return Number(Buffer.from(src.buffer, src.byteOffset + start, n).toString('latin1')) < 4294967295
}

function isLiteral(src: Uint8Array, i: number, word: string, end: number): boolean {
  if (i + word.length > end) return false
  for (let k = 0; k < word.length; k++) if (src[i + k] !== word.charCodeAt(k)) return false
  return true
}

/** The end of the number at `i`, when its literal is what stringify writes for its value; else -1. */
function canonicalNumberEnd(src: Uint8Array, i: number, end: number): number {
  let j = i
  if (src[j] === 0x2d) j++
  const first = j
  let plain = true
  for (; j < end; j++) {
    const d = src[j]!
    if (d >= 0x30 && d <= 0x39) continue
    if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) plain = false
    else break
  }
  const digits = j - first
  if (digits === 0) return -1
  // an integer of up to 15 digits, no leading zero, not -0: its own String(Number(…))
  if (plain && digits <= 15 && (src[first] !== 0x30 || (digits === 1 && first === i))) return j
  const literal = Buffer.from(src.buffer, src.byteOffset + i, j - i).toString('latin1')
  const value = Number(literal)
  return Number.isFinite(value) && String(value) === literal ? j : -1
}

/**
 * Writes the value starting at or after `i` (up to `end`) to `out` as stringify indents it at
 * `depth` (its members at 2 × (depth + 1) spaces); the offset after it, or -1 (out is then partly
 * written: the caller resets its length).
 */
export function reindent(src: Uint8Array, i: number, end: number, depth: number, out: ByteSink): number {
  i = skipSpace(src, i, end)
  const c = src[i]
  if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
    const object = c === 0x7b
    const close = object ? 0x7d : 0x5d
    let j = skipSpace(src, i + 1, end)
    if (src[j] === close) {
      out.byte(c)
      out.byte(close)
      return j + 1
    }
    out.byte(c)
    for (;;) {
      out.newline(2 * (depth + 1))
      if (object) {
        if (src[j] !== QUOTE) return -1
        const keyEnd = plainStringEnd(src, j, end)
        if (keyEnd < 0 || isIndexKey(src, j + 1, keyEnd)) return -1
        out.bytes(src, j, keyEnd + 1)
        j = skipSpace(src, keyEnd + 1, end)
        if (src[j] !== 0x3a /* : */) return -1
        out.byte(0x3a)
        out.byte(0x20)
        j++
      }
      j = reindent(src, j, end, depth + 1, out)
      if (j < 0) return -1
      j = skipSpace(src, j, end)
      if (src[j] === 0x2c /* , */) {
        out.byte(0x2c)
        j = skipSpace(src, j + 1, end)
        continue
      }
      if (src[j] !== close) return -1
      out.newline(2 * depth)
      out.byte(close)
      return j + 1
    }
  }
  if (c === QUOTE) {
    const close = plainStringEnd(src, i, end)
    if (close < 0) return -1
    out.bytes(src, i, close + 1)
    return close + 1
  }
  if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) {
    const j = canonicalNumberEnd(src, i, end)
    if (j < 0) return -1
    out.bytes(src, i, j)
    return j
  }
  for (const word of ['true', 'false', 'null']) {
    if (isLiteral(src, i, word, end)) {
      out.bytes(src, i, i + word.length)
      return i + word.length
    }
  }
  return -1
}

/**
 * Whether two JSON texts are the same tokens, white space outside strings aside: the check that a
 * basket written by `reindent` holds what was read, by other means than reindent's own.
 */
export function sameTokens(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  let i = aStart
  let j = bStart
  for (;;) {
    while (i < aEnd && isJsonSpace(a[i])) i++
    while (j < bEnd && isJsonSpace(b[j])) j++
    if (i >= aEnd || j >= bEnd) return i >= aEnd && j >= bEnd
    if (a[i] !== b[j]) return false
    if (a[i] === QUOTE) {
      // a string: byte for byte to its closing quote
      i++
      j++
      for (;;) {
        if (i >= aEnd || j >= bEnd || a[i] !== b[j]) return false
        const x = a[i]
        i++
        j++
        if (x === QUOTE) break
        if (x === BACKSLASH) {
          if (i >= aEnd || j >= bEnd || a[i] !== b[j]) return false
          i++
          j++
        }
      }
      continue
    }
    i++
    j++
  }
}
