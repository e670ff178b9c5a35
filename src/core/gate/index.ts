import type {Course, Lego} from '../course/model.js'
import type {GateSettings} from '../schemas/config.js'
import type {Unit} from '../text/normalize.js'
import {cover, coverCountBelow, coversAll, EntryTrie, type Cover, type CoverCount, type CoverRules} from './cover.js'
import {GATE_RULES, pack, unpackRule, type GateRule} from './rules.js'
import {legoChunks, legoVocabulary, textVocabulary, type Put, type VocabularyOptions} from './vocabulary.js'
import {vocabularyPieces, wordFallback, type WordFallback} from './word-forms.js'

export {wordEntries} from './vocabulary.js'

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
}

/** The settings the index needs; `elision` adds to the built-in tables (gate.elision in config). */
export type GateIndexSettings = Pick<GateSettings, 'definition' | 'windowSeeds' | 'recentNewLegos' | 'components'> & Partial<Pick<GateSettings, 'elision'>>

/** Index of entries to the earliest (position or seed index, rule) at which they are available. */
function earliestIndex(definition: GateIndex['definition'], add: (put: (entry: Unit[], at: number, rule: GateRule) => void) => void, at: (lego: Lego) => number, fallback: WordFallback | null): GateIndex {
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
  return {
    definition,
    check: (target, lego, explain) => cover(target, trie, explain ? rulesAt(lego, explain) : rulesOf(lego)),
    passes: (target, lego) => coversAll(target, trie, rulesOf(lego)),
    count: fallback
      ? (target, lego) => countOf(cover(target, trie, rulesOf(lego)))
      : (target, lego) => coverCountBelow(target, trie, (at(lego) + 1) * 8),
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

function sortedHasIn(list: number[], lo: number, hi: number): boolean {
  if (hi < lo) return false
  let a = 0
  let b = list.length
  while (a < b) {
    const mid = (a + b) >> 1
    if (list[mid]! < lo) a = mid + 1
    else b = mid
  }
  return a < list.length && list[a]! <= hi
}

interface Where {
  seeds: number[]
  positions: number[]
  recent: number[]
}

/** window keeps where each entry occurs per rule, so a finding can say which rule reached it. */
function windowIndex(course: Course, settings: GateIndexSettings, vocabulary: VocabularyOptions, fallback: WordFallback | null): GateIndex {
  const trie = new EntryTrie<Array<Where | undefined>>()
  const pushOnce = (list: number[], value: number) => {
    if (list.at(-1) !== value) list.push(value)
  }
  const note = (entry: Unit[], rule: GateRule, seed: number, position: number | null, recent: number | null) =>
    trie.upsert(entry, (byRule = []) => {
      const code = GATE_RULES.indexOf(rule)
      const w = (byRule[code] ??= {seeds: [], positions: [], recent: []})
      pushOnce(w.seeds, seed)
      if (position !== null) pushOnce(w.positions, position)
      if (recent !== null) pushOnce(w.recent, recent)
      return byRule
    })
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
  const seedStart = new Map(course.seeds.map((s) => [s.id, s.legos[0]?.position ?? 0]))
  const seedIndexOf = new Map(course.seeds.map((s) => [s.id, s.index]))
  const rulesAt = (lego: Lego, explain?: boolean): CoverRules<Array<Where | undefined>> => {
    const seedIndex = seedIndexOf.get(lego.seedId) ?? 0
    const k = newOrdinal.get(lego.id) ?? 0
    const start = seedStart.get(lego.seedId) ?? lego.position
    const reached = (w: Where | undefined) =>
      w !== undefined &&
      (sortedHasIn(w.seeds, seedIndex - settings.windowSeeds, seedIndex - 1) || sortedHasIn(w.positions, start, lego.position) || sortedHasIn(w.recent, k - settings.recentNewLegos, k - 1))
    // whether an entry is reached depends only on the entry and this LEGO: worked out once per entry
    // for all the phrases of a basket (its LEGO's words recur in every phrase)
    const known = new Map<Array<Where | undefined>, boolean>()
    return {
      available: (byRule) => {
        let reachedHere = known.get(byRule)
        if (reachedHere === undefined) known.set(byRule, (reachedHere = byRule.some(reached)))
        return reachedHere
      },
      ruleOf: (byRule) => GATE_RULES[byRule.findIndex(reached)] ?? 'word',
      fallback,
      explain,
    }
  }
  const rulesOf = lastRules(rulesAt)
  return {
    definition: 'window',
    check: (target, lego, explain) => cover(target, trie, explain ? rulesAt(lego, explain) : rulesOf(lego)),
    passes: (target, lego) => coversAll(target, trie, rulesOf(lego)),
    count: (target, lego) => countOf(cover(target, trie, rulesOf(lego))),
  }
}

export function buildGateIndex(course: Course, settings: GateIndexSettings): GateIndex {
  const language = course.targetLanguage
  const vocabulary: VocabularyOptions = {language, components: settings.components, pieces: vocabularyPieces(language, settings.elision)}
  const fallback = wordFallback(language, settings.elision)
  switch (settings.definition) {
    case 'strict':
      // whole chunks only: the phrase must tile from LEGOs exactly as taught
      return earliestIndex('strict', (put) => {
        for (const lego of course.legos) legoChunks(lego, (entry, rule) => put(entry, lego.position, rule))
      }, (lego) => lego.position, null)
    case 'cumulative':
      return earliestIndex('cumulative', (put) => {
        for (const lego of course.legos) legoVocabulary(lego, vocabulary, (entry, rule) => put(entry, lego.position, rule))
      }, (lego) => lego.position, fallback)
    case 'seed': {
      const seedIndex = new Map(course.seeds.map((s) => [s.id, s.index]))
      const all = {...vocabulary, components: true}
      return earliestIndex('seed', (put) => {
        for (const seed of course.seeds) {
          const at: Put = (entry, rule) => put(entry, seed.index, rule)
          textVocabulary(seed.target, 'sentence', 'sentence', all, at)
          for (const lego of seed.legos) legoVocabulary(lego, all, at)
        }
      }, (lego) => seedIndex.get(lego.seedId) ?? 0, fallback)
    }
    case 'window':
      return windowIndex(course, settings, vocabulary, fallback)
  }
}
