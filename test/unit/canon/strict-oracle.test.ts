import {describe, expect, it} from 'vitest'

import {FORBIDDEN_KEYS, lossyNumber, memberPath, strictProblems, type StrictKind, type StrictLimits, type StrictProblem} from '../../../src/core/strict-json.js'

/*
 * strictProblems allocates nothing per object or key (spans of text instead of key strings, parallel
 * arrays instead of a frame per container). The plain version it replaced, kept here as the
 * reference: both must give the same problems, paths, lines and columns, for every limit.
 */

/**
 * The keys of one object so far. Most objects (phrases) have two or three keys: a short array is
 * searched faster than a Set is built, so a Set is made only for a big object (a basket container).
 */
class KeySet {
  #few: string[] = []
  #many: Set<string> | null = null

  /** adds the key; false if it was there already */
  add(key: string): boolean {
    if (this.#many) {
      if (this.#many.has(key)) return false
      this.#many.add(key)
      return true
    }
    if (this.#few.includes(key)) return false
    this.#few.push(key)
    if (this.#few.length > 16) this.#many = new Set(this.#few)
    return true
  }
}

interface Frame {
  keys: KeySet | null
  /** the member key (objects) or element index (arrays) being read */
  at: string | number
}

function pathOf(stack: Frame[]): string {
  let path = '$'
  for (const frame of stack) {
    if (typeof frame.at === 'number') path += `[${frame.at}]`
    else if (frame.at !== '') path = memberPath(path, frame.at)
  }
  // a 20,000-deep path helps nobody: its start says where, and the message says how deep
  return path.length > 160 ? `${path.slice(0, 150)}…` : path
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

/** Every strict problem of a valid JSON text, in document order (up to limits.maxProblems). */
function referenceProblems(text: string, limits: StrictLimits): StrictProblem[] {
  const problems: StrictProblem[] = []
  const max = limits.maxProblems ?? Number.POSITIVE_INFINITY
  const stack: Frame[] = []
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
    problems.push({kind, path: pathOf(stack), line, column: offset - lineStart + 1, message})
    return problems.length >= max
  }
  // Speed matters (detect reads a 100 MB canon in full): the native searches below skip what needs
  // no look. Text without raw lone surrogates (all text decoded from UTF-8 or UTF-16) lets a string
  // without a backslash end at the next quote unread.
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
      const top = stack.at(-1)
      if (expectKey && top?.keys) {
        const body = text.slice(i + 1, end)
        const key = escaped ? (JSON.parse(`"${body}"`) as string) : body
        top.at = key
        expectKey = false
        if (lone >= 0 && add('lone-surrogate', lone, 'a key holds a lone surrogate (half of a UTF-16 pair, e.g. \\ud800), which no UTF-8 file can hold')) return problems
        if (FORBIDDEN_KEYS.has(key) && add('forbidden-key', i, `the key "${key}" is refused (it could pollute object prototypes)`)) return problems
        if (!top.keys.add(key) && add('duplicate-key', i, `the key ${JSON.stringify(key)} appears twice in one object; JSON keeps only the last, so the first would be lost`)) return problems
      } else if (lone >= 0 && add('lone-surrogate', lone, `the string holds a lone surrogate ${text.slice(lone, lone + 6)} (half of a UTF-16 pair), which no UTF-8 file can hold`)) return problems
      i = end
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (stack.length >= limits.maxDepth) {
        add('too-deep', i, `nesting deeper than ${limits.maxDepth} levels`)
        return problems
      }
      stack.push({keys: c === 123 ? new KeySet() : null, at: c === 123 ? '' : 0})
      expectKey = c === 123
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop()
      expectKey = false
    } else if (c === 44 /* , */) {
      const top = stack.at(-1)
      if (top?.keys) expectKey = true
      else if (top) top.at = (top.at as number) + 1
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      // a number: - or a digit, then digits, '.', 'e', '+', '-'
      let j = i + 1
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j)
        if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break
      }
      const literal = text.slice(i, j)
      const back = lossyNumber(literal)
      if (back !== null && add('unsafe-number', i, `the number ${literal.length > 40 ? `${literal.slice(0, 40)}…` : literal} cannot be kept exactly (it would be written back as ${back})`)) return problems
      i = j - 1
    }
  }
  return problems
}


/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const KEYS = ['known', 'target', 'lego', 'a', 'b', '', 'S0001L01', 'S0001L02', '__proto__', 'constructor', 'prototype', 'prototypf', 'k\\u006eown', 'tar\\"get', '\\ud800', 'x y', 'caf\u00e9', 'é', '\\u00e9', 'constructos']
const STRINGS = ['', 'veil', 'qíllaicéz chúzúxél', '你好', '\\ud83d\\ude00', '\\ud800', 'x\\udc00', '\\\\ud800', 'a\\nb', '\\"q\\"', '\ud800raw', 'tail\udc00']
const NUMBERS = ['0', '1', '-3', '12', '1.5', '1e3', '12345678901234567890', '1e400', '0.1000000000000000001', '123456789012345', '-0.0', '2.50']

function document(random: () => number, depth: number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const space = () => pick(['', '', ' ', '\n', '\n  ', '\t'])
  const r = random()
  if (depth > 5 || r < 0.35) {
    const leaf = random()
    return leaf < 0.5 ? `"${pick(STRINGS)}"` : leaf < 0.8 ? pick(NUMBERS) : pick(['true', 'false', 'null'])
  }
  if (r < 0.55) {
    const n = Math.floor(random() * 5)
    return `[${space()}${Array.from({length: n}, () => document(random, depth + 1)).join(`,${space()}`)}${space()}]`
  }
  // objects: mostly a few keys, sometimes a big one (a basket container) with a repeat deep inside
  const n = depth < 2 && random() < 0.3 ? 15 + Math.floor(random() * 10) : Math.floor(random() * 5)
  const keys = Array.from({length: n}, (_, k) => (random() < 0.7 ? pick(KEYS) : `key${k}${random() < 0.1 ? '' : `_${Math.floor(random() * 3)}`}`))
  return `{${space()}${keys.map((k) => `"${k}"${space()}:${space()}${document(random, depth + 1)}`).join(`,${space()}`)}${space()}}`
}

const LIMITS: StrictLimits[] = [
  {maxDepth: 64},
  {maxDepth: 4},
  {maxDepth: 64, maxProblems: 3},
  {maxDepth: 64, kinds: new Set<StrictKind>(['duplicate-key', 'unsafe-number', 'too-deep', 'forbidden-key'])},
  {maxDepth: 64, maxProblems: 10, kinds: new Set<StrictKind>(['lone-surrogate', 'too-deep', 'forbidden-key'])},
]

describe('strictProblems equals the plain reference', () => {
  it('on 800 random documents with repeated, escaped and forbidden keys, lone surrogates, lossy numbers and deep nesting', () => {
    const random = prng(16)
    let problems = 0
    const kinds = new Set<string>()
    for (let n = 0; n < 800; n++) {
      const text = document(random, 0)
      expect(() => JSON.parse(text)).not.toThrow()
      for (const limits of LIMITS) {
        const fast: StrictProblem[] = strictProblems(text, limits)
        const reference = referenceProblems(text, limits)
        if (JSON.stringify(fast) !== JSON.stringify(reference)) expect({text, fast}).toEqual({text, fast: reference})
        problems += fast.length
        for (const p of fast) kinds.add(p.kind)
      }
    }
    // the documents do exercise every kind of problem
    expect([...kinds].sort()).toEqual(['duplicate-key', 'forbidden-key', 'lone-surrogate', 'too-deep', 'unsafe-number'])
    expect(problems).toBeGreaterThan(300)
  })

  it('on a big object of baskets whose 20,001st key repeats the first', () => {
    const members = Array.from({length: 20_000}, (_, i) => `"S${String(i).padStart(5, '0')}L01":{"practice_phrases":[{"known":"a","target":"b"}]}`)
    const text = `{"baskets":{${members.join(',')},"S00000L01":{}}}`
    const fast = strictProblems(text, {maxDepth: 64})
    expect(fast).toEqual(referenceProblems(text, {maxDepth: 64}))
    expect(fast.map((p) => [p.path, p.line, p.column])).toEqual([['$.baskets.S00000L01', 1, text.lastIndexOf('"S00000L01"') + 1]])
  })
})
