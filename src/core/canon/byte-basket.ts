import type {TextPair} from '../course/model.js'
import type {CanonBasket, CanonPhrase} from './model.js'
import {bytesHaveText, type ShapedSpans} from './usable-scan.js'

/**
 * A basket in the shape wicker writes (usable-scan.ts), read from the file's bytes only when
 * something other than its id and `usable` is asked for. With the scan's spans (`shaped`: validate,
 * the report), `lego`, `phrases`, `isFinalLego` and `phraseCount` are decoded from the bytes they
 * name each time they are asked for, with no parse; without them (detect, preview, merge) its value
 * is parsed once (it passed the scan, so it is strict JSON of that shape). Either way they are what
 * readBasket makes of the parsed value, and `raw` is the parse, the same object every time: merge's
 * identity checks rely on it.
 */
export class ByteBasket implements CanonBasket {
  readonly location = 'baskets' as const
  #raw: Record<string, unknown> | undefined

  constructor(
    readonly id: string,
    /** some phrase has text on both sides */
    readonly usable: boolean,
    /** the canon's bytes, and the span of this basket's value in them (a first merge writes it from them: reindent.ts) */
    readonly bytes: Buffer,
    readonly start: number,
    readonly end: number,
    /** the scan's spans of every shaped basket, and which member this one is */
    readonly shaped: ShapedSpans | null = null,
    readonly member = -1,
  ) {}

  get raw(): Record<string, unknown> {
    return (this.#raw ??= JSON.parse(this.bytes.toString('utf8', this.start, this.end)) as Record<string, unknown>)
  }

  get lego(): TextPair | null {
    const {shaped} = this
    if (shaped) {
      const at = 4 * this.member
      const {lego} = shaped
      return lego[at]! < 0 ? null : {known: this.text(lego[at]!, lego[at + 1]!), target: this.text(lego[at + 2]!, lego[at + 3]!)}
    }
    const lego = this.raw.lego as TextPair | undefined
    return lego ? {known: lego.known, target: lego.target} : null
  }

  get phrases(): CanonPhrase[] {
    if (this.shaped) {
      const out: CanonPhrase[] = new Array(this.phraseTotal)
      for (let p = 0; p < out.length; p++) out[p] = {known: this.knownOf(p), target: this.targetOf(p), shape: 'object'}
      return out
    }
    const list = (this.raw.practice_phrases ?? []) as TextPair[]
    return list.map((p) => ({known: p.known, target: p.target, shape: 'object'}))
  }

  get isFinalLego(): unknown {
    if (this.shaped) {
      const final = this.shaped.final[this.member]!
      return final < 0 ? undefined : final === 1
    }
    return this.raw.is_final_lego
  }

  get phraseCount(): unknown {
    if (this.shaped) {
      const count = this.shaped.count[this.member]!
      return Number.isNaN(count) ? undefined : count
    }
    return this.raw.phrase_count
  }

  /**
   * With the scan's spans, one phrase's sides on their own, so that a caller that reads only the
   * target (validate, mostly) decodes only it: how many phrases there are, phrase `p`'s target and
   * known, and whether its known side holds text (`/\S/`), told from the bytes.
   */
  get phraseTotal(): number {
    const {first} = this.shaped!
    return first[this.member + 1]! - first[this.member]!
  }

  targetOf(p: number): string {
    const at = 4 * this.phraseAt(p)
    const spans = this.shaped!.phrases
    return this.text(spans[at + 2]!, spans[at + 3]!)
  }

  /** phrase `p`'s target is one `tidy` gives back unchanged (the scan told it from the bytes) */
  targetIsTidy(p: number): boolean {
    return this.shaped!.tidyTarget[this.phraseAt(p)] === 1
  }

  knownOf(p: number): string {
    const at = 4 * this.phraseAt(p)
    const spans = this.shaped!.phrases
    return this.text(spans[at]!, spans[at + 1]!)
  }

  knownHasText(p: number): boolean {
    const at = 4 * this.phraseAt(p)
    const spans = this.shaped!.phrases
    return bytesHaveText(this.bytes, spans[at]!, spans[at + 1]!)
  }

  /** phrase `p`'s entry among all the scan's phrases */
  private phraseAt(p: number): number {
    return this.shaped!.first[this.member]! + p
  }

  /** a plain string's bytes (no escape: the scan took it) decoded */
  private text(start: number, end: number): string {
    return this.bytes.toString('utf8', start, end)
  }
}
