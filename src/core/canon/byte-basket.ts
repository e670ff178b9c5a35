import type {TextPair} from '../course/model.js'
import type {CanonBasket, CanonPhrase} from './model.js'

/**
 * A basket in the shape wicker writes (usable-scan.ts), read from the file's bytes only when
 * something other than its id and `usable` is asked for: its value is then parsed once (it passed
 * the scan, so it is strict JSON of that shape) and `lego`, `phrases`, `isFinalLego`, `phraseCount`
 * and `raw` are what readBasket makes of it (`raw` is the same object every time: merge's identity
 * checks rely on it). detect never asks; preview and merge ask for the baskets the plan compares.
 */
export class ByteBasket implements CanonBasket {
  readonly location = 'baskets' as const
  #raw: Record<string, unknown> | undefined

  constructor(
    readonly id: string,
    /** some phrase has text on both sides */
    readonly usable: boolean,
    /** the canon's bytes, and the span of this basket's value in them (a first merge writes it from them: reindent.ts) */
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
  ) {}

  get raw(): Record<string, unknown> {
    return (this.#raw ??= JSON.parse(Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.start, this.end - this.start).toString('utf8')) as Record<string, unknown>)
  }

  get lego(): TextPair | null {
    const lego = this.raw.lego as TextPair | undefined
    return lego ? {known: lego.known, target: lego.target} : null
  }

  get phrases(): CanonPhrase[] {
    const list = (this.raw.practice_phrases ?? []) as TextPair[]
    return list.map((p) => ({known: p.known, target: p.target, shape: 'object'}))
  }

  get isFinalLego(): unknown {
    return this.raw.is_final_lego
  }

  get phraseCount(): unknown {
    return this.raw.phrase_count
  }
}
