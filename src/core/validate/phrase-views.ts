import type {ByteBasket} from '../canon/byte-basket.js'
import type {CanonBasket, CanonPhrase} from '../canon/model.js'
import {tidy, units, unitsAndKeyOfNfc, type Units} from '../text/normalize.js'
import type {PhraseIds} from '../gate/interned.js'
import type {PhraseView} from './model.js'

/**
 * One readable phrase: a class, so a view costs one object and its known side is tokenised on first
 * use. A phrase of a basket read from canon's bytes (`source`) reads its known side from them only
 * when asked: most checks need only the target, and whether the known side is blank, which the bytes
 * tell.
 */
class View implements PhraseView {
  readonly targetUnits: Units
  readonly targetKey: string
  chunkCover?: PhraseView['chunkCover']
  targetIds?: PhraseIds
  #known: string | undefined
  #knownUnits: Units | undefined

  constructor(
    readonly index: number,
    known: string | undefined,
    readonly target: string,
    private readonly source: ByteBasket | null = null,
  ) {
    this.#known = known
    const {units: list, key} = unitsAndKeyOfNfc(target)
    this.targetUnits = list
    this.targetKey = key
  }

  get known(): string {
    return (this.#known ??= this.source!.knownOf(this.index))
  }

  get knownBlank(): boolean {
    const known = this.#known
    return known === undefined ? !this.source!.knownHasText(this.index) : !/\S/.test(known)
  }

  knownUnits(): Units {
    return (this.#knownUnits ??= units(this.known))
  }
}

/** The phrases of a basket read from canon's bytes with the scan's spans, each target decoded, each known side left in the bytes until asked for. */
export function byteViews(basket: ByteBasket): PhraseView[] {
  const n = basket.phraseTotal
  const out: PhraseView[] = new Array(n)
  for (let p = 0; p < n; p++) {
    const target = basket.targetOf(p)
    out[p] = new View(p, undefined, basket.targetIsTidy(p) ? target : tidy(target), basket)
  }
  return out
}

/** A basket's readable phrases, tidied and tokenised once (the known side on first use): what every check reads. */
export function phraseViews(basket: CanonBasket, phrases: ReadonlyArray<CanonPhrase | null> = basket.phrases): PhraseView[] {
  const readable: PhraseView[] = []
  for (let index = 0; index < phrases.length; index++) {
    const phrase = phrases[index]
    if (phrase) readable.push(new View(index, phrase.known, tidy(phrase.target)))
  }
  return readable
}
