import type {Unit} from '../text/normalize.js'
import {beats, relaxFrom, startDp, UNREACHED, type CoverCount, type EntryTrie, type TrieNode} from './cover.js'

/**
 * GATE's tries with units as integer ids (DOMAIN.md §4 is unchanged; this is only a faster way to
 * ask the same questions). validate and the report check every phrase under up to four
 * definitions: a phrase's units are looked up as strings once (`UnitIds.of`), and each definition
 * then reads typed arrays indexed by unit id instead of a string map per unit. The string tries
 * stay what the full cover and a finding's report walk (cover.ts); test/unit/gate/interned.test.ts
 * holds the two equal.
 */

/** A phrase's unit ids (UnitIds.of). */
export type PhraseIds = readonly number[]

/** No entry (a value above every packed position and every entry number). */
export const NONE = 0x7fffffff

/**
 * One id per unit text that some trie holds as a key, shared by every index of a check so a
 * phrase's ids are made once. Ids are added while the indexes are built; once a phrase's ids have
 * been read (`of`), no index may add more, since that phrase would miss them.
 */
export class UnitIds {
  // plain fields: a private #field is a WeakMap look-up where the build lowers it
  private readonly ids = new Map<string, number>()
  private frozen = false

  get size(): number {
    return this.ids.size
  }

  add(unit: Unit): number {
    let id = this.ids.get(unit)
    if (id === undefined) {
      if (this.frozen) throw new Error('UnitIds: a unit added after phrases were read')
      id = this.ids.size
      this.ids.set(unit, id)
    }
    return id
  }

  /**
   * the ids of a phrase's units; -1 for a unit no trie holds (a plain array: far cheaper to make than
   * a typed one). Phrases come basket by basket and neighbouring LEGOs share words: a small map of
   * the units read lately answers most look-ups from cache, the full map (large, scattered) the rest.
   */
  of(units: readonly Unit[]): PhraseIds {
    this.frozen = true
    let recent = this.recent
    if (recent.size > 1024) {
      recent.clear()
      recent = this.recent
    }
    const out: number[] = []
    for (let i = 0; i < units.length; i++) {
      const unit = units[i]!
      let id = recent.get(unit)
      if (id === undefined) {
        id = this.ids.get(unit) ?? -1
        recent.set(unit, id)
      }
      out.push(id)
    }
    return out
  }

  private readonly recent = new Map<string, number>()
}

/**
 * An EntryTrie<number> whose root is read by unit id: most entries are one unit (`single` is their
 * value), and an entry of more units continues from `first` (the string trie's node of its first
 * unit) by the phrase's unit texts. Only the root's keys are given ids: walking every node would
 * cost more than it saves. A unit id at or past `single.length` was added by a later trie: this
 * one holds no such key.
 */
export class IdTrie {
  /** by unit id: value of the one-unit entry, NONE when none */
  readonly single: Int32Array
  /** by unit id: the node of the one-unit prefix when longer entries continue from it */
  readonly first: Array<TrieNode<number> | null>
  readonly depth: number

  constructor(trie: EntryTrie<number>, ids: UnitIds) {
    this.depth = trie.depth
    const children = trie.root.children
    const keys: number[] = []
    const values: number[] = []
    const nodes: Array<TrieNode<number> | null> = []
    // forEach: no [key, value] pair made per entry
    children?.forEach((child, text) => {
      const id = ids.add(text)
      keys.push(id)
      values.push(child.value ?? NONE)
      nodes.push(child.children ? child : null)
    })
    this.single = new Int32Array(ids.size).fill(NONE)
    // filled whole first: an array written at scattered indexes would turn into a dictionary
    this.first = new Array<TrieNode<number> | null>(ids.size).fill(null)
    for (let i = 0; i < keys.length; i++) {
      this.single[keys[i]!] = values[i]!
      this.first[keys[i]!] = nodes[i]!
    }
  }

  /** the value of the one-unit entry of this id, NONE when none */
  singleOf(id: number): number {
    return id >= 0 && id < this.single.length ? this.single[id]! : NONE
  }
}

/** Every unit is itself an entry whose value is below `bound`: coversAll's answer without the DP. */
export function allSingleBelow(ids: PhraseIds, trie: IdTrie, bound: number): boolean {
  const single = trie.single
  const size = single.length
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!
    if (id < 0 || id >= size || single[id]! >= bound) return false
  }
  return true
}

/** coverCountBelow (cover.ts) with the root read by unit ids: the same DP, with the same lexicographic minimum (misses, then entries). */
export function countBelowIds(ids: PhraseIds, units: readonly Unit[], trie: IdTrie, bound: number): CoverCount {
  const n = ids.length
  const {single, first} = trie
  const size = single.length
  if (trie.depth <= 1) {
    let missed = 0
    for (let i = 0; i < n; i++) {
      const id = ids[i]!
      if (id < 0 || id >= size || single[id]! >= bound) missed++
    }
    return {entries: n, covered: missed === 0}
  }
  const {misses, count} = startDp(n)
  for (let i = 0; i < n; i++) {
    const m = misses[i]!
    if (m === UNREACHED) continue
    const id = ids[i]!
    const known = id >= 0 && id < size
    // the root's step by the unit's id, then the trie below it by strings, as coverCountBelow walks it
    if (known && single[id]! < bound && beats(misses, count, i + 1, m, count[i]! + 1)) {
      misses[i + 1] = m
      count[i + 1] = count[i]! + 1
    }
    relaxFrom(known ? first[id] : null, units, i, i + 1, bound, misses, count)
  }
  return {entries: count[n]!, covered: misses[n] === 0}
}
