import type {Course, Lego} from '../course/model.js'
import type {GateSettings} from '../schemas/config.js'
import type {Unit} from '../text/normalize.js'
import {cover, coverCountBelow, coversAll, EntryTrie, type Cover, type CoverCount, type CoverRules} from './cover.js'
import {allSingleBelow, countBelowIds, IdTrie, NONE, UnitIds, type PhraseIds} from './interned.js'
import {GATE_RULES, pack, unpackRule, type GateRule} from './rules.js'
import {legoChunks, legoVocabulary, textVocabulary, type Put, type VocabularyOptions} from './vocabulary.js'
import {vocabularyPieces, wordFallback, type WordFallback} from './word-forms.js'

export {wordEntries} from './vocabulary.js'
export {UnitIds} from './interned.js'

/**
 * The four GATE definitions of DOMAIN.md §4. Each is a trie from vocabulary entry to where in the
 * course it becomes available, so checking a phrase costs a few map look-ups per word, whatever the
 * course size. What a LEGO teaches (whole target, words, components, segments, frame pieces,
 * elided pieces) is in vocabulary.ts; phrase words known by their forms (elision, mutation) in
 * word-forms.ts.
 *
 * - cumulative: what every LEGO at a position ≤ the current LEGO teaches (new or not).
 * - window: words of the sentences and LEGOs of the N seeds before the current seed, the current
 *   seed's LEGOs up to the current one, and the R most recent new LEGOs before it.
 * - strict: whole LEGO chunks at positions ≤ the current one (no components, segments or word
 *   forms); the phrase must tile from them.
 * - seed: everything the sentences, LEGOs and components of the seeds ≤ the current seed teach.
 */
export interface GateIndex {
  definition: GateSettings['definition']
  /** checks a phrase's target units (see `units`) for the basket of `lego`; `explain` lists every word's rule even when all are available */
  check(target: readonly Unit[], lego: Lego, explain?: boolean): Cover
  /** whether the phrase uses only words available at `lego`: `check(...).uncovered` is empty, found faster */
  passes(target: readonly Unit[], lego: Lego): boolean
  /** `check(...)`'s entries and whether it covers every unit, without the words (found faster) */
  count(target: readonly Unit[], lego: Lego): CoverCount
  /** `passes`, given also the phrase's unit ids from the UnitIds the index was built with (the same answer, found faster) */
  passesIds(ids: PhraseIds, target: readonly Unit[], lego: Lego): boolean
  /** `count`, given also the phrase's unit ids from the UnitIds the index was built with */
  countIds(ids: PhraseIds, target: readonly Unit[], lego: Lego): CoverCount
}

/** The settings the index needs; `elision` adds to the built-in tables (gate.elision in config). */
export type GateIndexSettings = Pick<GateSettings, 'definition' | 'windowSeeds' | 'recentNewLegos' | 'components'> & Partial<Pick<GateSettings, 'elision'>>

/** Index of entries to the earliest (position or seed index, rule) at which they are available. */
function earliestIndex(definition: GateIndex['definition'], add: (put: (entry: Unit[], at: number, rule: GateRule) => void) => void, at: (lego: Lego) => number, fallback: WordFallback | null, unitIds: UnitIds | null): GateIndex {
  const trie = new EntryTrie<number>()
  add((entry, where, rule) => {
    const value = pack(where, rule)
    trie.upsert(entry, (known) => (known === undefined || value < known ? value : known))
  })
  // packed values below (limit + 1) * 8 are taught at a position ≤ limit, whatever their rule
  const rulesAt = (lego: Lego, explain?: boolean): CoverRules<number> => {
    const bound = (at(lego) + 1) * 8
    return {available: (value) => value < bound, ruleOf: unpackRule, fallback, explain}
  }
  const rulesOf = lastRules(rulesAt)
  const passes = (target: readonly Unit[], lego: Lego): boolean => coversAll(target, trie, rulesOf(lego))
  const count = fallback
    ? (target: readonly Unit[], lego: Lego): CoverCount => countOf(cover(target, trie, rulesOf(lego)))
    : (target: readonly Unit[], lego: Lego): CoverCount => coverCountBelow(target, trie, (at(lego) + 1) * 8)
  const byId = unitIds ? new IdTrie(trie, unitIds) : null
  return {
    definition,
    check: (target, lego, explain) => cover(target, trie, explain ? rulesAt(lego, explain) : rulesOf(lego)),
    passes,
    count,
    // every unit an available entry by itself passes; any other phrase takes the full cover
    passesIds: byId ? (ids, target, lego) => allSingleBelow(ids, byId, (at(lego) + 1) * 8) || passes(target, lego) : (_ids, target, lego) => passes(target, lego),
    countIds: byId && !fallback ? (ids, target, lego) => countBelowIds(ids, target, byId, (at(lego) + 1) * 8) : (_ids, target, lego) => count(target, lego),
  }
}

const countOf = (c: Cover): CoverCount => ({entries: c.entries, covered: c.uncovered.length === 0})

/**
 * The rules of the LEGO asked about last, kept: a basket's phrases are checked one after another
 * for the same LEGO, so its rules are made once per basket rather than once per phrase.
 */
function lastRules<T>(rulesAt: (lego: Lego) => CoverRules<T>): (lego: Lego) => CoverRules<T> {
  let lego: Lego | null = null
  let rules: CoverRules<T> | null = null
  return (asked) => {
    if (asked !== lego || rules === null) {
      lego = asked
      rules = rulesAt(asked)
    }
    return rules
  }
}

/** Whether `list[from..to)`, sorted ascending, holds a value in [lo, hi]. */
function sortedHasIn(list: Int32Array, from: number, to: number, lo: number, hi: number): boolean {
  if (hi < lo || from >= to) return false
  let a = from
  let b = to
  while (a < b) {
    const mid = (a + b) >> 1
    if (list[mid]! < lo) a = mid + 1
    else b = mid
  }
  return a < to && list[a]! <= hi
}

/** A growing Int32Array. */
class Ints {
  data = new Int32Array(1 << 12)
  length = 0
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = value
  }
}

const RULES = GATE_RULES.length

/**
 * Where each entry occurs under window, per rule, in flat arrays: for the group of (entry, rule)
 * (`entry * RULES + rule`), the seeds, positions and recent-new-LEGO ordinals that teach it, each
 * ascending and without repeats, at [start[g], start[g + 1]) of its array. Made in one pass over
 * the course's notes, grouped by a stable counting sort (the notes come in course order, so each
 * group's values are ascending already).
 */
class WindowPlaces {
  readonly seeds: Int32Array
  readonly positions: Int32Array
  readonly recent: Int32Array
  readonly seedStart: Int32Array
  readonly positionStart: Int32Array
  readonly recentStart: Int32Array

  constructor(entries: number, group: Ints, seed: Ints, position: Ints, recent: Ints) {
    const groups = entries * RULES
    const n = group.length
    const counts = new Int32Array(groups + 1)
    for (let i = 0; i < n; i++) counts[group.data[i]! + 1]!++
    for (let g = 0; g < groups; g++) counts[g + 1]! += counts[g]!
    const order = new Int32Array(n)
    const at = counts.slice(0, groups)
    for (let i = 0; i < n; i++) order[at[group.data[i]!]!++] = i
    const lists = (values: Ints): [Int32Array, Int32Array] => {
      const start = new Int32Array(groups + 1)
      const out = new Ints()
      let i = 0
      for (let g = 0; g < groups; g++) {
        start[g] = out.length
        const end = counts[g + 1]!
        let last = -1
        let any = false
        for (; i < end; i++) {
          const v = values.data[order[i]!]!
          // -1: the note has no value of this kind (a sentence has no position, a LEGO that is not new no ordinal)
          if (v < 0 || (any && v === last)) continue
          out.push(v)
          last = v
          any = true
        }
      }
      start[groups] = out.length
      return [out.data.slice(0, out.length), start]
    }
    ;[this.seeds, this.seedStart] = lists(seed)
    ;[this.positions, this.positionStart] = lists(position)
    ;[this.recent, this.recentStart] = lists(recent)
  }

  /** whether the entry's group of this rule was noted at all (every note has a seed) */
  has(g: number): boolean {
    return this.seedStart[g + 1]! > this.seedStart[g]!
  }
}

/** window keeps where each entry occurs per rule, so a finding can say which rule reached it. */
function windowIndex(course: Course, settings: GateIndexSettings, vocabulary: VocabularyOptions, fallback: WordFallback | null, unitIds: UnitIds | null): GateIndex {
  // the trie's value is the entry's number; what teaches it is noted in flat arrays
  const trie = new EntryTrie<number>()
  let entries = 0
  const group = new Ints()
  const seeds = new Ints()
  const positions = new Ints()
  const recents = new Ints()
  const ruleCode = new Map(GATE_RULES.map((r, i) => [r, i]))
  let id = 0
  const next = (known: number | undefined) => {
    id = known ?? entries++
    return id
  }
  const note = (entry: Unit[], rule: GateRule, seed: number, position: number | null, recent: number | null) => {
    trie.upsert(entry, next)
    group.push(id * RULES + ruleCode.get(rule)!)
    seeds.push(seed)
    positions.push(position ?? -1)
    recents.push(recent ?? -1)
  }
  const newOrdinal = new Map<string, number>()
  let ordinal = 0
  for (const seed of course.seeds) {
    textVocabulary(seed.target, 'sentence', 'sentence', vocabulary, (entry, rule) => note(entry, rule, seed.index, null, null))
    for (const lego of seed.legos) {
      legoVocabulary(lego, vocabulary, (entry, rule) => note(entry, rule, seed.index, lego.position, lego.isNew ? ordinal : null))
      newOrdinal.set(lego.id, ordinal)
      if (lego.isNew) ordinal++
    }
  }
  const places = new WindowPlaces(entries, group, seeds, positions, recents)
  const seedStart = new Map(course.seeds.map((s) => [s.id, s.legos[0]?.position ?? 0]))
  const seedIndexOf = new Map(course.seeds.map((s) => [s.id, s.index]))
  // whether an entry is reached depends only on the entry and the LEGO: worked out once per entry
  // and LEGO (its words recur in every phrase of a basket), marked with the LEGO's turn
  const memoTurn = new Int32Array(entries)
  const memo = new Uint8Array(entries)
  let turns = 0
  const rulesAt = (lego: Lego, explain?: boolean): CoverRules<number> => {
    const seedIndex = seedIndexOf.get(lego.seedId) ?? 0
    const k = newOrdinal.get(lego.id) ?? 0
    const start = seedStart.get(lego.seedId) ?? lego.position
    const turn = ++turns
    const reached = (g: number) =>
      places.has(g) &&
      (sortedHasIn(places.seeds, places.seedStart[g]!, places.seedStart[g + 1]!, seedIndex - settings.windowSeeds, seedIndex - 1) ||
        sortedHasIn(places.positions, places.positionStart[g]!, places.positionStart[g + 1]!, start, lego.position) ||
        sortedHasIn(places.recent, places.recentStart[g]!, places.recentStart[g + 1]!, k - settings.recentNewLegos, k - 1))
    return {
      available: (entry) => {
        if (memoTurn[entry] === turn) return memo[entry] === 1
        let yes = false
        for (let r = 0; r < RULES && !yes; r++) yes = reached(entry * RULES + r)
        memoTurn[entry] = turn
        memo[entry] = yes ? 1 : 0
        return yes
      },
      ruleOf: (entry) => {
        for (let r = 0; r < RULES; r++) if (reached(entry * RULES + r)) return GATE_RULES[r]!
        return 'word'
      },
      fallback,
      explain,
    }
  }
  const rulesOf = lastRules(rulesAt)
  const passes = (target: readonly Unit[], lego: Lego): boolean => coversAll(target, trie, rulesOf(lego))
  const count = (target: readonly Unit[], lego: Lego): CoverCount => countOf(cover(target, trie, rulesOf(lego)))
  const byId = unitIds ? new IdTrie(trie, unitIds) : null
  return {
    definition: 'window',
    check: (target, lego, explain) => cover(target, trie, explain ? rulesAt(lego, explain) : rulesOf(lego)),
    passes,
    count,
    passesIds: (ids, target, lego) => {
      if (byId === null) return passes(target, lego)
      // coversAll's first pass by ids: every unit an entry reached at this LEGO by itself
      const {available} = rulesOf(lego)
      for (let i = 0; i < ids.length; i++) {
        const entry = byId.singleOf(ids[i]!)
        if (entry === NONE || !available(entry)) return passes(target, lego)
      }
      return true
    },
    countIds: (_ids, target, lego) => count(target, lego),
  }
}

/**
 * `unitIds`: shared by the indexes whose `passesIds`/`countIds` get the same phrase ids (UnitIds.of
 * after every build). Without it those two answer by the string paths: the ids pay for themselves
 * only when several indexes read them (the report's four definitions), not for validate's two.
 */
export function buildGateIndex(course: Course, settings: GateIndexSettings, unitIds: UnitIds | null = null): GateIndex {
  const language = course.targetLanguage
  const vocabulary: VocabularyOptions = {language, components: settings.components, pieces: vocabularyPieces(language, settings.elision)}
  const fallback = wordFallback(language, settings.elision)
  switch (settings.definition) {
    case 'strict':
      // whole chunks only: the phrase must tile from LEGOs exactly as taught
      return earliestIndex('strict', (put) => {
        for (const lego of course.legos) legoChunks(lego, (entry, rule) => put(entry, lego.position, rule))
      }, (lego) => lego.position, null, unitIds)
    case 'cumulative':
      return earliestIndex('cumulative', (put) => {
        for (const lego of course.legos) legoVocabulary(lego, vocabulary, (entry, rule) => put(entry, lego.position, rule))
      }, (lego) => lego.position, fallback, unitIds)
    case 'seed': {
      const seedIndex = new Map(course.seeds.map((s) => [s.id, s.index]))
      const all = {...vocabulary, components: true}
      return earliestIndex('seed', (put) => {
        for (const seed of course.seeds) {
          const at: Put = (entry, rule) => put(entry, seed.index, rule)
          textVocabulary(seed.target, 'sentence', 'sentence', all, at)
          for (const lego of seed.legos) legoVocabulary(lego, all, at)
        }
      }, (lego) => seedIndex.get(lego.seedId) ?? 0, fallback, unitIds)
    }
    case 'window':
      return windowIndex(course, settings, vocabulary, fallback, unitIds)
  }
}
