import type {CanonBasket} from '../canon/model.js'
import {keyOf, tidy, units, unitsOfNfc} from '../text/normalize.js'
import type {PhraseView} from './model.js'

/** A basket's readable phrases, tidied and tokenised once (the known side on first use): what every check reads. */
export function phraseViews(basket: CanonBasket): PhraseView[] {
  const readable: PhraseView[] = []
  basket.phrases.forEach((phrase, index) => {
    if (!phrase) return
    const known = phrase.known
    const target = tidy(phrase.target)
    const targetUnits = unitsOfNfc(target)
    let knownUnits: ReturnType<typeof unitsOfNfc> | undefined
    readable.push({index, known, target, knownUnits: () => (knownUnits ??= units(known)), targetUnits, targetKey: keyOf(targetUnits)})
  })
  return readable
}
