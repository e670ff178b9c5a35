import {containsInOrder, framePieces} from '../../text/frame.js'
import {tidy, unitKey, wordCount} from '../../text/normalize.js'
import {languageScripts} from '../../text/script.js'
import type {BasketUnderCheck, CheckContext} from '../model.js'

/** Buckets of LEGOs used per phrase: 1–2, 3, 4, 5+ (DOMAIN.md §4). */
const EXPECTED_SHAPE = [2, 2, 2, 4]

function bucket(legosUsed: number): number {
  return legosUsed <= 2 ? 0 : legosUsed === 3 ? 1 : legosUsed === 4 ? 2 : 3
}

/** Checks of one basket's form: count and shape, containment, duplicates, final sentence, derived fields. */
export function checkBasket(ctx: CheckContext, item: BasketUnderCheck, seedIndex: number): void {
  const {basket, lego, phrases} = item
  const {report, options, course} = ctx
  const settings = options.validate
  const id = basket.id

  // a discontinuous LEGO (ka…ri) is contained when its pieces occur in order
  const pieces = framePieces(lego.target)
  const pieceKeys = pieces?.map(unitKey) ?? []
  const legoKey = ` ${unitKey(lego.target)} `
  const contains = pieces ? (key: string) => containsInOrder(key, pieceKeys) : (key: string) => ` ${key} `.includes(legoKey)
  const seen = new Map<string, number>()
  const unspacedTarget = languageScripts(course.targetLanguage ?? '').some((s) => s === 'Han' || s === 'Thai' || s === 'Kana')
  for (const phrase of phrases) {
    const {index, target, targetUnits, targetKey: key} = phrase
    const blankKnown = phrase.knownBlank
    if (blankKnown || target === '') {
      report('blank', id, index, `phrase ${index} has an empty ${blankKnown ? 'known' : 'target'} side.`)
      continue
    }
    if (!contains(key)) report('containment', id, index, `phrase ${index} "${target}" does not contain the LEGO "${lego.target}".`)
    const first = seen.get(key)
    if (first !== undefined) report('duplicate-phrase', id, index, `phrase ${index} repeats phrase ${first}: "${target}".`)
    else seen.set(key, index)
    const words = wordCount(unspacedTarget ? phrase.knownUnits() : targetUnits)
    if (words > settings.maxWords) report('too-long', id, index, `phrase ${index} has ${words} words (over ${settings.maxWords}).`)
  }

  const count = item.count
  const early = seedIndex < settings.earlySeeds
  if (early ? count > settings.phrasesPerBasket : count !== settings.phrasesPerBasket) {
    report('phrase-count', id, null, `basket ${id} has ${count} phrase(s); expected ${early ? `at most ${settings.phrasesPerBasket} (first ${settings.earlySeeds} seeds)` : settings.phrasesPerBasket}.`)
  } else if (!early && settings.phrasesPerBasket === 10 && phrases.length === 10) {
    const shape = [0, 0, 0, 0]
    // a cover uses at most one entry per unit: a phrase of one or two units is in the first bucket
    for (const phrase of phrases) shape[phrase.targetUnits.length <= 2 ? 0 : bucket(ctx.chunkCover(phrase, lego).entries)]!++
    if (shape.some((n, i) => n !== EXPECTED_SHAPE[i])) {
      report('phrase-count', id, null, `basket ${id} uses ${shape.join('-')} phrases of 1–2/3/4/5+ LEGOs; expected ${EXPECTED_SHAPE.join('-')}.`)
    }
  }

  if (lego.isFinal && phrases.length > 0) {
    const seed = course.seeds[seedIndex]
    const last = item.last
    if (seed && seed.target.trim() !== '' && (!last || unitKey(last.target) !== unitKey(seed.target))) {
      report('final-sentence', id, count - 1, `the final LEGO's last phrase is "${last ? tidy(last.target) : '(unreadable)'}", not the seed sentence "${tidy(seed.target)}".`)
    }
  }

  if (basket.isFinalLego === undefined || basket.phraseCount === undefined) {
    report('derived-fields', id, null, `basket ${id} lacks ${basket.isFinalLego === undefined ? 'is_final_lego' : 'phrase_count'}.`)
  }
  if (basket.isFinalLego !== undefined && basket.isFinalLego !== lego.isFinal) report('derived-fields', id, null, `is_final_lego is ${JSON.stringify(basket.isFinalLego)}; ${lego.id} is ${lego.isFinal ? '' : 'not '}the final LEGO of ${lego.seedId}.`)
  if (basket.phraseCount !== undefined && basket.phraseCount !== count) report('derived-fields', id, null, `phrase_count is ${JSON.stringify(basket.phraseCount)}; the basket has ${count} phrase(s).`)

  const text = basket.lego
  if (!text) report('lego-text', id, null, `basket ${id} has no lego text.`)
  else if (tidy(text.target) !== tidy(lego.target) || (text.known !== '' && tidy(text.known) !== tidy(lego.known))) {
    report('lego-text', id, null, `lego is "${text.known}" / "${text.target}"; lego_pairs says "${lego.known}" / "${lego.target}".`)
  }
}
