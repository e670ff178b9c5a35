import type {Course, Lego} from '../course/model.js'
import type {GateDefinition, GateSettings} from '../schemas/config.js'
import {isUnspaced, units, type Unit} from '../text/normalize.js'
import {cover, EntryTrie, type Cover} from './cover.js'

/**
 * The four GATE definitions of DOMAIN.md §4. Each is a trie from vocabulary entry to where in the
 * course it becomes available, so checking a phrase costs a few map look-ups per word, whatever the
 * course size.
 *
 * - cumulative: target words of every LEGO at a position ≤ the current LEGO (new or not).
 * - window: words of the sentences and LEGOs of the N seeds before the current seed, the current
 *   seed's LEGOs up to the current one, and the R most recent new LEGOs before it.
 * - strict: whole LEGO chunks at positions ≤ the current one; the phrase must tile from them.
 * - seed: every word of every seed sentence, LEGO and component of the seeds ≤ the current seed.
 */
export interface GateIndex {
  definition: GateDefinition
  /** checks a phrase's target units (see `units`) for the basket of `lego` */
  check(target: readonly Unit[], lego: Lego): Cover
}

/** Vocabulary entries of a text: each spaced word, and each run of unspaced characters whole. */
export function wordEntries(list: Unit[]): string[][] {
  const out: string[][] = []
  let run: string[] = []
  for (const unit of list) {
    if (isUnspaced(unit)) {
      run.push(unit)
      continue
    }
    if (run.length > 0) out.push(run)
    run = []
    out.push([unit])
  }
  if (run.length > 0) out.push(run)
  return out
}

/** The whole chunk as one entry. */
export function chunkEntry(list: Unit[]): string[][] {
  return list.length > 0 ? [[...list]] : []
}

function legoTexts(lego: Lego, components: boolean): string[] {
  return components ? [lego.target, ...lego.components.map((c) => c.target)] : [lego.target]
}

/** Index of entries to the earliest value (position or seed index) at which they are available. */
function earliestIndex(definition: GateDefinition, add: (put: (entry: string[], at: number) => void) => void, at: (lego: Lego) => number): GateIndex {
  const trie = new EntryTrie<number>()
  add((entry, value) => trie.upsert(entry, (known) => (known === undefined || value < known ? value : known)))
  return {
    definition,
    check(target, lego) {
      const limit = at(lego)
      return cover(target, trie, (value) => value <= limit)
    },
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

function windowIndex(course: Course, settings: GateSettings): GateIndex {
  const trie = new EntryTrie<Where>()
  const pushOnce = (list: number[], value: number) => {
    if (list.at(-1) !== value) list.push(value)
  }
  const note = (entry: string[], seed: number, position: number | null, recent: number | null) =>
    trie.upsert(entry, (w = {seeds: [], positions: [], recent: []}) => {
      pushOnce(w.seeds, seed)
      if (position !== null) pushOnce(w.positions, position)
      if (recent !== null) pushOnce(w.recent, recent)
      return w
    })
  const newOrdinal = new Map<string, number>()
  let ordinal = 0
  for (const seed of course.seeds) {
    for (const entry of wordEntries(units(seed.target))) note(entry, seed.index, null, null)
    for (const lego of seed.legos) {
      for (const text of legoTexts(lego, settings.components)) {
        for (const entry of wordEntries(units(text))) note(entry, seed.index, lego.position, lego.isNew ? ordinal : null)
      }
      newOrdinal.set(lego.id, ordinal)
      if (lego.isNew) ordinal++
    }
  }
  const seedStart = new Map(course.seeds.map((s) => [s.id, s.legos[0]?.position ?? 0]))
  const seedIndexOf = new Map(course.seeds.map((s) => [s.id, s.index]))
  return {
    definition: 'window',
    check(target, lego) {
      const seedIndex = seedIndexOf.get(lego.seedId) ?? 0
      const k = newOrdinal.get(lego.id) ?? 0
      const start = seedStart.get(lego.seedId) ?? lego.position
      return cover(
        target,
        trie,
        (w) =>
          sortedHasIn(w.seeds, seedIndex - settings.windowSeeds, seedIndex - 1) ||
          sortedHasIn(w.positions, start, lego.position) ||
          sortedHasIn(w.recent, k - settings.recentNewLegos, k - 1),
      )
    },
  }
}

export function buildGateIndex(course: Course, settings: GateSettings): GateIndex {
  switch (settings.definition) {
    case 'cumulative':
    case 'strict': {
      // The same index over LEGO positions; cumulative cuts LEGOs into words, strict keeps them whole.
      const entries = settings.definition === 'strict' ? chunkEntry : wordEntries
      return earliestIndex(
        settings.definition,
        (put) => {
          for (const lego of course.legos) for (const text of legoTexts(lego, settings.components)) for (const entry of entries(units(text))) put(entry, lego.position)
        },
        (lego) => lego.position,
      )
    }
    case 'seed': {
      const seedIndex = new Map(course.seeds.map((s) => [s.id, s.index]))
      return earliestIndex(
        'seed',
        (put) => {
          for (const seed of course.seeds) {
            for (const entry of wordEntries(units(seed.target))) put(entry, seed.index)
            for (const lego of seed.legos) for (const text of legoTexts(lego, true)) for (const entry of wordEntries(units(text))) put(entry, seed.index)
          }
        },
        (lego) => seedIndex.get(lego.seedId) ?? 0,
      )
    }
    case 'window':
      return windowIndex(course, settings)
  }
}
