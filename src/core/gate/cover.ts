import {isUnspaced, type Unit} from '../text/normalize.js'

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
}

const UNREACHED = 0x7fffffff
let buffers = {misses: new Int32Array(64), count: new Int32Array(64), step: new Int32Array(64), matched: new Uint8Array(64)}

/** Reused work arrays: the DP runs once or twice per phrase, so it should not allocate. */
function scratch(size: number): typeof buffers {
  if (buffers.misses.length < size) {
    const n = Math.max(size, buffers.misses.length * 2)
    buffers = {misses: new Int32Array(n), count: new Int32Array(n), step: new Int32Array(n), matched: new Uint8Array(n)}
  }
  return buffers
}

export function cover<T>(units: readonly Unit[], trie: EntryTrie<T>, available: (value: T) => boolean): Cover {
  if (trie.depth <= 1) return coverByWord(units, trie, available)
  const n = units.length
  const {misses, count, step, matched} = scratch(n + 1)
  misses.fill(UNREACHED, 0, n + 1)
  count.fill(UNREACHED, 0, n + 1)
  misses[0] = 0
  count[0] = 0
  for (let i = 0; i < n; i++) {
    const m = misses[i]!
    if (m === UNREACHED) continue
    const c = count[i]! + 1
    let node: TrieNode<T> | undefined = trie.root
    for (let j = i; j < n; j++) {
      node = node.children?.get(units[j]!)
      if (!node) break
      const to = j + 1
      if (node.value !== undefined && (m < misses[to]! || (m === misses[to] && c < count[to]!)) && available(node.value)) {
        misses[to] = m
        count[to] = c
        step[to] = to - i
        matched[to] = 1
      }
    }
    // leaving unit i uncovered
    if (m + 1 < misses[i + 1]! || (m + 1 === misses[i + 1] && c < count[i + 1]!)) {
      misses[i + 1] = m + 1
      count[i + 1] = c
      step[i + 1] = 1
      matched[i + 1] = 0
    }
  }
  const missed: number[] = []
  for (let at = n; at > 0; at -= step[at]!) if (!matched[at]) missed.push(at - 1)
  missed.reverse()
  const uncovered: string[] = []
  let previous = -2
  for (const i of missed) {
    const unit = units[i]!
    if (i === previous + 1 && isUnspaced(unit) && isUnspaced(units[previous]!)) uncovered[uncovered.length - 1] += unit
    else uncovered.push(unit)
    previous = i
  }
  return {entries: count[n]!, uncovered}
}

/** Every entry is one unit: each unit is covered by itself or not at all. */
function coverByWord<T>(units: readonly Unit[], trie: EntryTrie<T>, available: (value: T) => boolean): Cover {
  const uncovered: string[] = []
  const children = trie.root.children
  let previousMissed = false
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!
    const node = children?.get(unit)
    if (node?.value !== undefined && available(node.value)) {
      previousMissed = false
      continue
    }
    if (previousMissed && isUnspaced(unit) && isUnspaced(units[i - 1]!)) uncovered[uncovered.length - 1] += unit
    else uncovered.push(unit)
    previousMissed = true
  }
  return {entries: units.length, uncovered}
}
