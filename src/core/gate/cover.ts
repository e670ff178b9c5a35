import {isUnspaced, type Unit} from '../text/normalize.js'
import {GATE_RULES, RULE_CODE, type CoveredWord, type GateRule} from './rules.js'
import type {WordFallback} from './word-forms.js'

/**
 * Vocabulary entries (sequences of units) in a trie keyed by unit text, and the cover of a
 * phrase's units by them: as few units as possible left over, then as few entries as possible.
 * Unspaced scripts are matched by the longest available entry this way, never one character at a
 * time. Walking the trie stops at the first unit no entry continues with, so a check costs a few
 * map look-ups per unit whatever the vocabulary size.
 */
export interface TrieNode<T> {
  children: Map<string, TrieNode<T>> | null
  value: T | undefined
}

export class EntryTrie<T> {
  readonly root: TrieNode<T> = {children: null, value: undefined}
  /** longest entry, in units */
  depth = 0

  /** Sets the value of an entry from its current one (undefined for a new entry). */
  upsert(entry: readonly string[], update: (current: T | undefined) => T): void {
    if (entry.length > this.depth) this.depth = entry.length
    let node = this.root
    for (const text of entry) {
      node.children ??= new Map()
      let next = node.children.get(text)
      if (!next) {
        next = {children: null, value: undefined}
        node.children.set(text, next)
      }
      node = next
    }
    node.value = update(node.value)
  }
}

export interface Cover {
  /** entries used, each uncovered unit counting as one */
  entries: number
  /** units no available entry covers, grouped: consecutive unspaced characters form one word */
  uncovered: string[]
  /** every word of the phrase with the rule that made it available (null: none); set when some word is uncovered */
  words?: CoveredWord[]
}

/** How a phrase is checked against the trie at one LEGO. */
export interface CoverRules<T> {
  available: (value: T) => boolean
  /** which rule taught an available entry (for the report of a finding) */
  ruleOf: (value: T) => GateRule
  /** a word that is no available entry may still be known by its forms (elision, mutation) */
  fallback?: WordFallback | null
  /** list every word's rule even when all are covered (otherwise only for a finding) */
  explain?: boolean
}

export const UNREACHED = 0x7fffffff
const UNCOVERED = 0xff
let buffers = {misses: new Int32Array(64), count: new Int32Array(64), step: new Int32Array(64), rule: new Uint8Array(64)}

/** Reused work arrays: the DP runs once or twice per phrase, so it should not allocate. */
function scratch(size: number): typeof buffers {
  if (buffers.misses.length < size) {
    const n = Math.max(size, buffers.misses.length * 2)
    buffers = {misses: new Int32Array(n), count: new Int32Array(n), step: new Int32Array(n), rule: new Uint8Array(n)}
  }
  return buffers
}

/** The DP's work arrays for a phrase of `n` units, every place unreached but the start. */
export function startDp(n: number): typeof buffers {
  const work = scratch(n + 1)
  work.misses.fill(UNREACHED, 0, n + 1)
  work.count.fill(UNREACHED, 0, n + 1)
  work.misses[0] = 0
  work.count[0] = 0
  return work
}

/** Marks a step as matched by a trie entry; its rule is looked up only when a finding is reported. */
const ENTRY = 0xfe

/** Whether reaching place `at` with `m` misses and `c` entries beats what it holds: fewer misses, then fewer entries (the DP's lexicographic minimum). */
export function beats(misses: Int32Array, count: Int32Array, at: number, m: number, c: number): boolean {
  return m < misses[at]! || (m === misses[at] && c < count[at]!)
}

/**
 * coverCountBelow's step from one place: every entry below `bound` reachable from `node` by units
 * `j` on relaxes the place it ends at, then leaving unit `from` uncovered relaxes the next one.
 * (interned.ts takes the first unit by its id and hands on the node it reached.)
 */
export function relaxFrom(node: TrieNode<number> | null | undefined, units: readonly Unit[], from: number, j: number, bound: number, misses: Int32Array, count: Int32Array): void {
  const n = units.length
  const m = misses[from]!
  const c = count[from]! + 1
  for (; j < n && node; j++) {
    const children: Map<string, TrieNode<number>> | null = node.children
    if (children === null) break
    node = children.get(units[j]!)
    if (node === undefined) break
    const value = node.value
    if (value !== undefined && value < bound && beats(misses, count, j + 1, m, c)) {
      misses[j + 1] = m
      count[j + 1] = c
    }
  }
  if (beats(misses, count, from + 1, m + 1, c)) {
    misses[from + 1] = m + 1
    count[from + 1] = c
  }
}

/** `rules` may be just the availability test, for callers that need no report (the builtin agent). */
export function cover<T>(units: readonly Unit[], trie: EntryTrie<T>, given: CoverRules<T> | ((value: T) => boolean)): Cover {
  const rules: CoverRules<T> = typeof given === 'function' ? {available: given, ruleOf: () => 'whole-lego'} : given
  const {available, fallback} = rules
  const known = fallback ? knownWord(trie, available) : null
  if (trie.depth <= 1) return coverByWord(units, trie, rules, known)
  const n = units.length
  const {misses, count, step, rule} = startDp(n)
  for (let i = 0; i < n; i++) {
    const m = misses[i]!
    if (m === UNREACHED) continue
    const c = count[i]! + 1
    let node: TrieNode<T> | undefined = trie.root
    let single = false
    for (let j = i; j < n; j++) {
      node = node.children?.get(units[j]!)
      if (!node) break
      const to = j + 1
      if (node.value !== undefined && beats(misses, count, to, m, c) && available(node.value)) {
        misses[to] = m
        count[to] = c
        step[to] = to - i
        rule[to] = ENTRY
        if (to === i + 1) single = true
      }
    }
    // a spaced word that is no entry, known by its forms
    if (!single && known && beats(misses, count, i + 1, m, c) && !isUnspaced(units[i]!)) {
      const by = fallback!(units[i]!, known)
      if (by !== null) {
        misses[i + 1] = m
        count[i + 1] = c
        step[i + 1] = 1
        rule[i + 1] = RULE_CODE[by]
      }
    }
    // leaving unit i uncovered
    if (beats(misses, count, i + 1, m + 1, c)) {
      misses[i + 1] = m + 1
      count[i + 1] = c
      step[i + 1] = 1
      rule[i + 1] = UNCOVERED
    }
  }
  // Walk back along the chosen steps; the full list of steps is built only to describe a finding.
  const missed: number[] = []
  for (let at = n; at > 0; at -= step[at]!) if (rule[at] === UNCOVERED) missed.push(at - 1)
  missed.reverse()
  const uncovered: string[] = []
  let previous = -2
  for (const i of missed) {
    const unit = units[i]!
    if (i === previous + 1 && isUnspaced(unit) && isUnspaced(units[previous]!)) uncovered[uncovered.length - 1] += unit
    else uncovered.push(unit)
    previous = i
  }
  const result: Cover = {entries: count[n]!, uncovered}
  if (uncovered.length > 0 || rules.explain) {
    const steps: Array<[from: number, to: number, rule: number]> = []
    for (let at = n; at > 0; at -= step[at]!) steps.push([at - step[at]!, at, rule[at]!])
    result.words = describe(units, steps.reverse(), trie, rules.ruleOf)
  }
  return result
}

/** The two numbers of a cover, without its words: what the shape check and a pass/fail rate need. */
export interface CoverCount {
  /** as Cover.entries: entries used, each uncovered unit counting as one */
  entries: number
  /** no unit is left uncovered: Cover.uncovered is empty */
  covered: boolean
}

/**
 * `cover(...)`'s entries and number of uncovered units for a trie of packed numbers available below
 * `bound` (earliest-position indexes), with no word forms: the same DP, but no closures, no words
 * and no description of a finding. Values are a lexicographic minimum (misses, then entries), so the
 * choice among equal steps that `cover` makes for its report does not change them.
 */
export function coverCountBelow(units: readonly Unit[], trie: EntryTrie<number>, bound: number): CoverCount {
  const n = units.length
  if (trie.depth <= 1) {
    let misses = 0
    const children = trie.root.children
    for (let i = 0; i < n; i++) {
      const value = children?.get(units[i]!)?.value
      if (value === undefined || value >= bound) misses++
    }
    return {entries: n, covered: misses === 0}
  }
  const {misses, count} = startDp(n)
  const root = trie.root
  for (let i = 0; i < n; i++) if (misses[i] !== UNREACHED) relaxFrom(root, units, i, i, bound, misses, count)
  return {entries: count[n]!, covered: misses[n] === 0}
}

/**
 * Whether no unit of a phrase is left uncovered (`cover(...).uncovered` is empty), for callers that
 * need only that. When every unit is itself an available entry no cover leaves one out, so the DP
 * runs only for a phrase with a unit that is not: most phrases pass by one look-up per unit.
 */
export function coversAll<T>(units: readonly Unit[], trie: EntryTrie<T>, rules: CoverRules<T>): boolean {
  const children = trie.root.children
  const {available} = rules
  for (const unit of units) {
    const value = children?.get(unit)?.value
    if (value === undefined || !available(value)) return cover(units, trie, {...rules, explain: false}).uncovered.length === 0
  }
  return true
}

/** The words of a phrase with their rules, for a finding: re-walks the trie along the chosen steps. */
function describe<T>(units: readonly Unit[], steps: Array<[number, number, number]>, trie: EntryTrie<T>, ruleOf: (value: T) => GateRule): CoveredWord[] {
  const out: CoveredWord[] = []
  for (const [from, to, code] of steps) {
    const slice = units.slice(from, to)
    const text = joinUnits(slice)
    let rule: GateRule | null = null
    if (code === ENTRY) {
      let node: TrieNode<T> | undefined = trie.root
      for (const unit of slice) node = node?.children?.get(unit)
      rule = node?.value === undefined ? null : ruleOf(node.value)
    } else if (code !== UNCOVERED) rule = GATE_RULES[code]!
    const last = out.at(-1)
    // consecutive unspaced characters that no entry covers are one unknown word, as in `uncovered`
    if (rule === null && last && last.rule === null && isUnspaced(slice[0]!) && isUnspaced(units[from - 1]!)) last.word += text
    else out.push({word: text, rule})
  }
  return out
}

function joinUnits(list: readonly Unit[]): string {
  let text = ''
  for (let i = 0; i < list.length; i++) text += i > 0 && !(isUnspaced(list[i]!) && isUnspaced(list[i - 1]!)) ? ` ${list[i]}` : list[i]
  return text
}

/** Whether a single word is an available entry: what a fallback asks about an elided or mutated word's forms. */
function knownWord<T>(trie: EntryTrie<T>, available: (value: T) => boolean): (word: string) => boolean {
  return (word) => {
    const value = trie.root.children?.get(word)?.value
    return value !== undefined && available(value)
  }
}

/** Every entry is one unit: each unit is covered by itself or not at all. */
function coverByWord<T>(units: readonly Unit[], trie: EntryTrie<T>, rules: CoverRules<T>, known: ((word: string) => boolean) | null): Cover {
  const {available, fallback} = rules
  const uncovered: string[] = []
  const children = trie.root.children
  let previousMissed = false
  let anyMissed = false
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!
    const node = children?.get(unit)
    if ((node?.value !== undefined && available(node.value)) || (known && !isUnspaced(unit) && fallback!(unit, known) !== null)) {
      previousMissed = false
      continue
    }
    if (previousMissed && isUnspaced(unit) && isUnspaced(units[i - 1]!)) uncovered[uncovered.length - 1] += unit
    else uncovered.push(unit)
    previousMissed = true
    anyMissed = true
  }
  const result: Cover = {entries: units.length, uncovered}
  if (anyMissed || rules.explain) {
    const steps: Array<[number, number, number]> = units.map((unit, i) => {
      const value = children?.get(unit)?.value
      if (value !== undefined && available(value)) return [i, i + 1, ENTRY]
      const by = known && !isUnspaced(unit) ? fallback!(unit, known) : null
      return [i, i + 1, by === null ? UNCOVERED : RULE_CODE[by]]
    })
    result.words = describe(units, steps, trie, rules.ruleOf)
  }
  return result
}
