import type {TextPair} from '../course/model.js'
import {sha256Hex} from '../hash.js'
import type {ShardSpec} from '../schemas/run-plan.js'
import {tidy} from '../text/normalize.js'

/**
 * Representation-neutral basket content: the phrase list as {known, target}, each side NFC and
 * trimmed, whatever shape, key order or spacing it came in. Two baskets are identical exactly when
 * their hashes are equal.
 */
export function normalisePhrases(phrases: ReadonlyArray<TextPair | null>): Array<TextPair | null> {
  return phrases.map((p) => (p ? {known: tidy(p.known), target: tidy(p.target)} : null))
}

export function phrasesHash(phrases: ReadonlyArray<TextPair | null>): string {
  // U+0000 and U+0001 cannot appear in tidied phrase text, so the joined form is unambiguous.
  let canonical = ''
  for (const p of phrases) canonical += p ? `${tidy(p.known)}\u0001${tidy(p.target)}\u0000` : '\u0002\u0000'
  return sha256Hex(canonical)
}

/** phrasesHash of phrases whose sides are tidy already (tidy(tidy(x)) is tidy(x)): the same hash, without tidying each side again. */
export function tidyPhrasesHash(phrases: readonly TextPair[]): string {
  let canonical = ''
  for (const p of phrases) canonical += `${p.known}\u0001${p.target}\u0000`
  return sha256Hex(canonical)
}

/** Where a candidate came from. */
export interface Source {
  /** staging file, relative to the course folder */
  file: string
  /** sha256 of the file's bytes */
  sha256: string
  format: string
  /** JSON path of the basket in the file */
  path: string
  /** the LEGO text the file gives for the basket (preview tells a renumbered basket by it), or null */
  lego?: TextPair | null
}

export interface Candidate {
  id: string
  phrases: TextPair[]
  /** phrasesHash(phrases) */
  hash: string
  sources: Source[]
  /** came from jsonrepair salvage */
  repaired: boolean
  /** hash of the canon basket it was generated to replace (from the basket or its launch packet) */
  base: string | null
  /** why it cannot be merged as it is (no phrase, a blank side); null when it is fine */
  invalid: string | null
}

/**
 * `<run>__<packet>__<attempt>.json` or `<run>__<packet>__<attempt>__shard-<i>-of-<n>.json`, the names
 * launch gives its outputs; also as serve (`.<n>`) and collect (`.<12 hex>`) rename one whose name was
 * taken by other bytes, so such a copy still counts as that packet's output.
 */
export function launchName(file: string): {run: string; packet: string; attempt: number; shard: ShardSpec | null} | null {
  const match = /(?:^|[\\/])([^\\/]+?)__([^\\/]+?)__(\d+)(?:__shard-(\d{1,6})-of-(\d{1,6}))?(?:\.(?:\d{1,4}|[0-9a-f]{12}))?\.json$/.exec(file)
  if (!match) return null
  const index = Number(match[4])
  const count = Number(match[5])
  // a name no launch writes (shard 5 of 3) says nothing about a shard
  const shard = match[4] === undefined || index < 1 || index > count ? null : {index, count}
  return {run: match[1]!, packet: match[2]!, attempt: Number(match[3]), shard}
}

/**
 * Whether `text` is tidy as it is (tidy(text) === text), by a look that can only say yes where that
 * is so: nothing at or above U+0300 (NFC could change it), no white space but single inner spaces
 * (no control character, no U+00A0). A no is "maybe not": the caller tidies. Most phrase sides are
 * tidy already, and this costs a fraction of tidy's regular expressions.
 */
export function plainlyTidy(text: string): boolean {
  // a space first is not tidy: start as if after one
  let previous = 32
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 32) {
      if (previous === 32) return false
    } else if (c < 32 || c === 0xa0 || c >= 0x300) return false
    previous = c
  }
  return previous !== 32 || text.length === 0
}
