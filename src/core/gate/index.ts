import type {Course, Lego} from '../course/model.js'
import type {GateDefinition, GateSettings} from '../schemas/config.js'
import {units, type Unit} from '../text/normalize.js'
import {cover, type Cover} from './cover.js'

/**
 * The four GATE definitions of DOMAIN.md §4. Each is an index from vocabulary entry to where in the
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
  /** checks a phrase's target text for the basket of `lego` */
  check(text: string, lego: Lego): Cover
}

/** Vocabulary entries of a text: each spaced word, and each run of unspaced characters whole. */
export function wordEntries(list: Unit[]): string[] {
  const out: string[] = []
  let run: string[] = []
  for (const unit of list) {
    if (unit.unspaced) {
      run.push(unit.text)
      continue
    }
    if (run.length > 0) out.push(run.join(' '))
    run = []
    out.push(unit.text)
  }
  if (run.length > 0) out.push(run.join(' '))
  return out
}

/** The whole chunk as one entry. */
export function chunkEntry(list: Unit[]): string[] {
  return list.length > 0 ? [list.map((u) => u.text).join(' ')] : []
}

function legoTexts(lego: Lego, components: boolean): string[] {
  return components ? [lego.target, ...lego.components.map((c) => c.target)] : [lego.target]
}

class EntryLengths {
  private readonly seen = new Set<number>()
  add(entry: string): void {
    this.seen.add(entry.split(' ').length)
  }
  list(): number[] {
    return [...this.seen].sort((a, b) => b - a)
  }
}

/** Index of entries to the earliest value (position or seed index) at which they are available. */
function earliestIndex(
  definition: GateDefinition,
  add: (put: (entry: string, at: number) => void) => void,
  at: (lego: Lego) => number,
): GateIndex {
  const first = new Map<string, number>()
  const lengths = new EntryLengths()
  add((entry, value) => {
    const known = first.get(entry)
    if (known === undefined) {
      first.set(entry, value)
      lengths.add(entry)
    } else if (value < known) first.set(entry, value)
  })
  const list = lengths.list()
  return {
    definition,
    check(text, lego) {
      const limit = at(lego)
      return cover(units(text), list, (key) => {
        const value = first.get(key)
        return value !== undefined && value <= limit
      })
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

function windowIndex(course: Course, settings: GateSettings): GateIndex {
  interface Where {
    seeds: number[]
    positions: number[]
    recent: number[]
  }
  const where = new Map<string, Where>()
  const lengths = new EntryLengths()
  const entry = (key: string): Where => {
    let w = where.get(key)
    if (!w) {
      w = {seeds: [], positions: [], recent: []}
      where.set(key, w)
      lengths.add(key)
    }
    return w
  }
  const pushOnce = (list: number[], value: number) => {
    if (list.at(-1) !== value) list.push(value)
  }
  const newOrdinal = new Map<string, number>()
  let ordinal = 0
  for (const seed of course.seeds) {
    for (const key of wordEntries(units(seed.target))) pushOnce(entry(key).seeds, seed.index)
    for (const lego of seed.legos) {
      for (const text of legoTexts(lego, settings.components)) {
        for (const key of wordEntries(units(text))) {
          const w = entry(key)
          pushOnce(w.seeds, seed.index)
          pushOnce(w.positions, lego.position)
          if (lego.isNew) pushOnce(w.recent, ordinal)
        }
      }
      newOrdinal.set(lego.id, ordinal)
      if (lego.isNew) ordinal++
    }
  }
  const seedStart = new Map(course.seeds.map((s) => [s.id, s.legos[0]?.position ?? 0]))
  const seedIndexOf = new Map(course.seeds.map((s) => [s.id, s.index]))
  const list = lengths.list()
  return {
    definition: 'window',
    check(text, lego) {
      const seedIndex = seedIndexOf.get(lego.seedId) ?? 0
      const k = newOrdinal.get(lego.id) ?? 0
      const start = seedStart.get(lego.seedId) ?? lego.position
      return cover(units(text), list, (key) => {
        const w = where.get(key)
        if (!w) return false
        return (
          sortedHasIn(w.seeds, seedIndex - settings.windowSeeds, seedIndex - 1) ||
          sortedHasIn(w.positions, start, lego.position) ||
          sortedHasIn(w.recent, k - settings.recentNewLegos, k - 1)
        )
      })
    },
  }
}

export function buildGateIndex(course: Course, settings: GateSettings): GateIndex {
  switch (settings.definition) {
    case 'cumulative':
      return earliestIndex(
        'cumulative',
        (put) => {
          for (const lego of course.legos) for (const text of legoTexts(lego, settings.components)) for (const key of wordEntries(units(text))) put(key, lego.position)
        },
        (lego) => lego.position,
      )
    case 'strict':
      return earliestIndex(
        'strict',
        (put) => {
          for (const lego of course.legos) for (const text of legoTexts(lego, settings.components)) for (const key of chunkEntry(units(text))) put(key, lego.position)
        },
        (lego) => lego.position,
      )
    case 'seed': {
      const seedIndex = new Map(course.seeds.map((s) => [s.id, s.index]))
      return earliestIndex(
        'seed',
        (put) => {
          for (const seed of course.seeds) {
            for (const key of wordEntries(units(seed.target))) put(key, seed.index)
            for (const lego of seed.legos) for (const text of legoTexts(lego, true)) for (const key of wordEntries(units(text))) put(key, seed.index)
          }
        },
        (lego) => seedIndex.get(lego.seedId) ?? 0,
      )
    }
    case 'window':
      return windowIndex(course, settings)
  }
}
