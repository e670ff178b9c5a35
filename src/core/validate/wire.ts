import type {CanonBasket, CanonPhrase} from '../canon/model.js'
import type {TextPair} from '../course/model.js'

/**
 * A run of canon's baskets as a check worker receives them (parallel.ts): what the per-basket
 * checks read of a basket (its id, LEGO text, phrases, is_final_lego and phrase_count), in flat
 * arrays that a structured clone copies quickly, not one object per phrase.
 */
export interface WireChunk {
  /** the chunk's place in the run of shared baskets */
  index: number
  ids: string[]
  /** per basket: how many phrases it has (readable or not) */
  counts: Int32Array
  /** per basket: 1 when it has lego text (its two strings come first in `text`) */
  hasLego: Uint8Array
  /** per phrase: 0 unreadable (null), else 1 + the index of its shape in SHAPES */
  shapes: Uint8Array
  /** lego known and target (when there is one), then known and target of each readable phrase, basket after basket */
  text: string[]
  /** per basket: is_final_lego then phrase_count, as read (any JSON value, or undefined) */
  fields: unknown[]
}

const SHAPES: ReadonlyArray<CanonPhrase['shape']> = ['object', 'array', 'english']

export function encodeChunk(index: number, baskets: readonly CanonBasket[]): WireChunk {
  const ids: string[] = []
  const counts = new Int32Array(baskets.length)
  const hasLego = new Uint8Array(baskets.length)
  const shapes: number[] = []
  const text: string[] = []
  const fields: unknown[] = []
  for (let b = 0; b < baskets.length; b++) {
    const basket = baskets[b]!
    ids.push(basket.id)
    fields.push(basket.isFinalLego, basket.phraseCount)
    const lego = basket.lego
    if (lego) {
      hasLego[b] = 1
      text.push(lego.known, lego.target)
    }
    const phrases = basket.phrases
    counts[b] = phrases.length
    for (const phrase of phrases) {
      if (phrase === null) {
        shapes.push(0)
        continue
      }
      shapes.push(1 + SHAPES.indexOf(phrase.shape))
      text.push(phrase.known, phrase.target)
    }
  }
  return {index, ids, counts, hasLego, shapes: Uint8Array.from(shapes), text, fields}
}

/** A basket as the worker checks it: the fields validate reads, made from a WireChunk. */
class WireBasket implements CanonBasket {
  readonly location = 'baskets' as const
  readonly raw = undefined

  constructor(
    readonly id: string,
    readonly lego: TextPair | null,
    readonly phrases: Array<CanonPhrase | null>,
    readonly isFinalLego: unknown,
    readonly phraseCount: unknown,
  ) {}
}

export function decodeChunk(chunk: WireChunk): CanonBasket[] {
  const out: CanonBasket[] = []
  const {ids, counts, hasLego, shapes, text, fields} = chunk
  let t = 0
  let s = 0
  for (let b = 0; b < ids.length; b++) {
    let lego: TextPair | null = null
    if (hasLego[b] === 1) {
      lego = {known: text[t]!, target: text[t + 1]!}
      t += 2
    }
    const n = counts[b]!
    const phrases: Array<CanonPhrase | null> = new Array(n)
    for (let p = 0; p < n; p++, s++) {
      const shape = shapes[s]!
      if (shape === 0) {
        phrases[p] = null
        continue
      }
      phrases[p] = {known: text[t]!, target: text[t + 1]!, shape: SHAPES[shape - 1]!}
      t += 2
    }
    out.push(new WireBasket(ids[b]!, lego, phrases, fields[2 * b], fields[2 * b + 1]))
  }
  return out
}
