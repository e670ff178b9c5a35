import type {Course, Lego} from '../../../src/core/course/model.js'
import {cover, coversAll, EntryTrie, type CoverRules} from '../../../src/core/gate/cover.js'
import type {GateIndex, GateIndexSettings} from '../../../src/core/gate/index.js'
import {GATE_RULES, type GateRule} from '../../../src/core/gate/rules.js'
import {legoVocabulary, textVocabulary, type VocabularyOptions} from '../../../src/core/gate/vocabulary.js'
import {vocabularyPieces, wordFallback, type WordFallback} from '../../../src/core/gate/word-forms.js'
import type {Unit} from '../../../src/core/text/normalize.js'

/**
 * The window index as it was before its places went into flat arrays (src/core/gate/index.ts at
 * 0e9ace7): an object of three arrays per entry and rule. Kept as the oracle of window-oracle.test.ts.
 */
export function referenceWindowIndex(course: Course, settings: GateIndexSettings): GateIndex {
  const language = course.targetLanguage
  const vocabulary: VocabularyOptions = {language, components: settings.components, pieces: vocabularyPieces(language, settings.elision)}
  return windowIndex(course, settings, vocabulary, wordFallback(language, settings.elision))
}

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

const countOf = (c: ReturnType<typeof cover>) => ({entries: c.entries, covered: c.uncovered.length === 0})

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
    // the reference has no unit ids: the string paths answer
    passesIds: (_ids, target, lego) => coversAll(target, trie, rulesOf(lego)),
    countIds: (_ids, target, lego) => countOf(cover(target, trie, rulesOf(lego))),
  }
}

