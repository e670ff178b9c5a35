/**
 * The strict checks every JSON document wicker may write back (staging on its way to canon, and
 * canon itself) must pass: things JSON.parse accepts but cannot keep, so that a rewrite would change
 * content nobody asked to change. One linear, iterative pass over the (already valid) JSON text:
 *
 * - a key twice in one object (JSON.parse keeps the last; the first would vanish),
 * - a lone surrogate escape such as `\ud800` (no UTF-8 can hold it; it would become U+FFFD),
 * - a number whose value does not survive the round trip (12345678901234567890, 1e400, 0.1000000000000000001),
 * - nesting deeper than the cap (recursive code further on would overflow the stack),
 * - keys that could pollute object prototypes (`__proto__`, `constructor`, `prototype`).
 *
 * Every problem comes with its JSON path and line:column, so a refusal can name each place.
 */
export type StrictKind = 'duplicate-key' | 'lone-surrogate' | 'unsafe-number' | 'too-deep' | 'forbidden-key'

export interface StrictProblem {
  kind: StrictKind
  /** JSON path of the place, e.g. $.baskets.S0001L01.practice_phrases[2] */
  path: string
  line: number
  column: number
  /** what is wrong, without the place */
  message: string
}

export interface StrictLimits {
  maxDepth: number
  /** stop after this many problems (a canon with 100,000 bad numbers needs no 100,000-line message) */
  maxProblems?: number
  /** only these kinds (default: all) */
  kinds?: ReadonlySet<StrictKind>
}

export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** `path` and then a member key: `.key`, or `["key"]` where the key is not a plain name. */
export function memberPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`
}

/** A decimal literal's value as sign, significant digits and exponent: equal keys, equal values. */
function decimalKey(literal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal)
  if (!m) return literal
  const fraction = m[3] ?? ''
  let digits = `${m[2]}${fraction}`.replace(/^0+/, '')
  if (digits === '') return '0'
  let exponent = Number(m[4] ?? 0) - fraction.length
  const kept = digits.replace(/0+$/, '')
  exponent += digits.length - kept.length
  digits = kept
  return `${m[1]}${digits}e${exponent}`
}

/** What a JSON number literal becomes when parsed and written again, when that is another value. */
export function lossyNumber(literal: string): string | null {
  // up to 15 significant digits always survive a double (DBL_DIG)
  if (/^-?\d{1,15}$/.test(literal)) return null
  const value = Number(literal)
  const back = Number.isFinite(value) ? String(value) : 'null'
  return decimalKey(back) === decimalKey(literal) ? null : back
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff

/**
 * The end (closing quote) of the JSON string opening at `open`, and the first lone surrogate in it
 * (as an escape `\uD800` or as a raw UTF-16 unit), if any.
 */
function scanString(text: string, open: number): {end: number; escaped: boolean; lone: number} {
  let escaped = false
  let lone = -1
  // the last code unit read (escape or raw) was a high surrogate waiting for its pair, at this offset
  let pendingHigh = -1
  let i = open + 1
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) break
    let unit = c
    const at = i
    if (c === 92 /* \ */) {
      escaped = true
      if (text.charCodeAt(i + 1) === 117 /* u */) {
        unit = Number.parseInt(text.slice(i + 2, i + 6), 16)
        i += 5
      } else {
        unit = 0
        i++
      }
    }
    if (pendingHigh >= 0 && !isLow(unit)) {
      if (lone < 0) lone = pendingHigh
      pendingHigh = -1
    }
    if (isHigh(unit)) pendingHigh = at
    else if (isLow(unit)) {
      if (pendingHigh < 0 && lone < 0) lone = at
      pendingHigh = -1
    }
  }
  if (pendingHigh >= 0 && lone < 0) lone = pendingHigh
  return {end: i, escaped, lone}
}

/** More keys than this in one object: they are kept in a Set instead of compared one by one. */
const FEW_KEYS = 16

/**
 * Every strict problem of a valid JSON text, in document order (up to limits.maxProblems).
 *
 * Speed matters (detect and validate read a 100 MB canon in full, a million small objects): the pass
 * allocates nothing per object or key. The open containers are parallel arrays indexed by depth; a
 * key is kept as its span in the text and turned into a string only for a path in a problem, for an
 * escaped key, or once an object has more than FEW_KEYS keys (a basket container), when its keys go
 * into a Set. Keys without a backslash are their own value, so equal spans of text are equal keys.
 */
export function strictProblems(text: string, limits: StrictLimits): StrictProblem[] {
  const problems: StrictProblem[] = []
  const max = limits.maxProblems ?? Number.POSITIVE_INFINITY
  // the open containers, one slot per depth: object or array, the element index (arrays) or the
  // current member key (objects: its span, or its decoded text when escaped, '' before the first)
  let depth = 0
  const isObject: boolean[] = []
  const index: number[] = []
  const keyStart: number[] = []
  const keyEnd: number[] = []
  const keyText: Array<string | null> = []
  // an object's keys so far: spans [start, end, start, end, …] while few and unescaped, else a Set
  const spans: number[][] = []
  const spanCount: number[] = []
  const keySets: Array<Set<string> | null> = []
  const keyAt = (d: number): string => keyText[d] ?? text.slice(keyStart[d]!, keyEnd[d]!)
  const pathOf = (): string => {
    let path = '$'
    for (let d = 0; d < depth; d++) {
      if (!isObject[d]) path += `[${index[d]}]`
      else {
        const key = keyAt(d)
        if (key !== '') path = memberPath(path, key)
      }
    }
    // a 20,000-deep path helps nobody: its start says where, and the message says how deep
    return path.length > 160 ? `${path.slice(0, 150)}…` : path
  }
  /** adds the key at depth d (its span, or its text when escaped); false if the object had it already */
  const addKey = (d: number, start: number, end: number, escaped: string | null): boolean => {
    let set = keySets[d]
    if (!set && (escaped !== null || spanCount[d]! >= FEW_KEYS)) {
      set = keySets[d] = new Set()
      const list = spans[d]!
      for (let k = 0; k < spanCount[d]!; k++) set.add(text.slice(list[2 * k]!, list[2 * k + 1]!))
    }
    if (set) {
      const key = escaped ?? text.slice(start, end)
      if (set.has(key)) return false
      set.add(key)
      return true
    }
    const list = spans[d]!
    const n = spanCount[d]!
    const length = end - start
    for (let k = 0; k < n; k++) {
      const s = list[2 * k]!
      if (list[2 * k + 1]! - s !== length) continue
      let same = true
      for (let c = 0; c < length; c++) {
        if (text.charCodeAt(s + c) !== text.charCodeAt(start + c)) {
          same = false
          break
        }
      }
      if (same) return false
    }
    list[2 * n] = start
    list[2 * n + 1] = end
    spanCount[d] = n + 1
    return true
  }
  const isForbidden = (start: number, end: number, escaped: string | null): boolean => {
    if (escaped !== null) return FORBIDDEN_KEYS.has(escaped)
    const length = end - start
    if (length === 9) return text.startsWith('__proto__', start) || text.startsWith('prototype', start)
    return length === 11 && text.startsWith('constructor', start)
  }
  // problems come in document order: lines are counted on from the last one, never from the start
  let line = 1
  let lineStart = 0
  let counted = 0
  const add = (kind: StrictKind, offset: number, message: string) => {
    if (limits.kinds && !limits.kinds.has(kind)) return false
    for (; counted < offset; counted++) {
      if (text.charCodeAt(counted) === 10) {
        line++
        lineStart = counted + 1
      }
    }
    problems.push({kind, path: pathOf(), line, column: offset - lineStart + 1, message})
    return problems.length >= max
  }
  // The native searches below skip what needs no look. Text without raw lone surrogates (all text
  // decoded from UTF-8 or UTF-16) lets a string without a backslash end at the next quote unread.
  const raw = !(text as string & {isWellFormed(): boolean}).isWellFormed()
  let backslash = -1
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 58 /* : */) continue
    if (c === 34 /* " */) {
      let end = text.indexOf('"', i + 1)
      if (backslash < i + 1 && backslash !== Number.POSITIVE_INFINITY) {
        backslash = text.indexOf('\\', i + 1)
        if (backslash < 0) backslash = Number.POSITIVE_INFINITY
      }
      let escaped = false
      let lone = -1
      if (raw || backslash < end) ({end, escaped, lone} = scanString(text, i))
      const top = depth - 1
      if (expectKey && top >= 0 && isObject[top]) {
        const decoded = escaped ? (JSON.parse(`"${text.slice(i + 1, end)}"`) as string) : null
        keyStart[top] = i + 1
        keyEnd[top] = end
        keyText[top] = decoded
        expectKey = false
        if (lone >= 0 && add('lone-surrogate', lone, 'a key holds a lone surrogate (half of a UTF-16 pair, e.g. \\ud800), which no UTF-8 file can hold')) return problems
        if (isForbidden(i + 1, end, decoded) && add('forbidden-key', i, `the key "${keyAt(top)}" is refused (it could pollute object prototypes)`)) return problems
        if (!addKey(top, i + 1, end, decoded) && add('duplicate-key', i, `the key ${JSON.stringify(keyAt(top))} appears twice in one object; JSON keeps only the last, so the first would be lost`)) return problems
      } else if (lone >= 0 && add('lone-surrogate', lone, `the string holds a lone surrogate ${text.slice(lone, lone + 6)} (half of a UTF-16 pair), which no UTF-8 file can hold`)) return problems
      i = end
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (depth >= limits.maxDepth) {
        add('too-deep', i, `nesting deeper than ${limits.maxDepth} levels`)
        return problems
      }
      const object = c === 123
      isObject[depth] = object
      index[depth] = 0
      if (object) {
        keyStart[depth] = 0
        keyEnd[depth] = 0
        keyText[depth] = null
        spans[depth] ??= []
        spanCount[depth] = 0
        keySets[depth] = null
      }
      depth++
      expectKey = object
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth > 0) {
        depth--
        keySets[depth] = null
      }
      expectKey = false
    } else if (c === 44 /* , */) {
      const top = depth - 1
      if (top >= 0 && isObject[top]) expectKey = true
      else if (top >= 0) index[top]!++
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      // a number: - or a digit, then digits, '.', 'e', '+', '-'
      let j = i + 1
      // digits only (after a leading -): up to 15 of them always survive, with no literal to cut out
      let plain = true
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j)
        if (d >= 48 && d <= 57) continue
        if (!(d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break
        plain = false
      }
      const digits = j - i - (c === 45 ? 1 : 0)
      if (!(plain && digits >= 1 && digits <= 15)) {
        const literal = text.slice(i, j)
        const back = lossyNumber(literal)
        if (back !== null && add('unsafe-number', i, `the number ${literal.length > 40 ? `${literal.slice(0, 40)}…` : literal} cannot be kept exactly (it would be written back as ${back})`)) return problems
      }
      i = j - 1
    }
  }
  return problems
}

/** One problem as a line: where, then what. */
export function describeProblem(p: {path: string; line: number; column: number; message: string}): string {
  return `${p.path} (line ${p.line}, column ${p.column}): ${p.message}`
}

/** How to fix each kind of problem, for the hint of a refusal. */
export const STRICT_FIXES: Record<StrictKind, string> = {
  'duplicate-key': 'merge the two copies of a repeated key into one (or rename one)',
  'lone-surrogate': 'remove the lone \\uD8xx/\\uDCxx escape or complete its pair',
  'unsafe-number': 'write a number JSON cannot hold exactly as a string (e.g. "12345678901234567890")',
  'too-deep': 'flatten the nesting (wicker reads at most --max-depth levels, 64 by default)',
  'forbidden-key': 'rename the __proto__/constructor/prototype key',
}
