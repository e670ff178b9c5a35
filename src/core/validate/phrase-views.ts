import type {CanonBasket, CanonPhrase} from '../canon/model.js'
import {tidy, units, unitsAndKeyOfNfc, type Units} from '../text/normalize.js'
import type {PhraseIds} from '../gate/interned.js'
import type {PhraseView} from './model.js'

/** One readable phrase: a class, so a view costs one object and its known side is tokenised on first use. */
class View implements PhraseView {
  readonly targetUnits: Units
  readonly targetKey: string
  chunkCover?: PhraseView['chunkCover']
  targetIds?: PhraseIds
  #knownUnits: Units | undefined

  constructor(
    readonly index: number,
    readonly known: string,
    readonly target: string,
  ) {
    const {units: list, key} = unitsAndKeyOfNfc(target)
    this.targetUnits = list
    this.targetKey = key
  }

  knownUnits(): Units {
    return (this.#knownUnits ??= units(this.known))
  }
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
