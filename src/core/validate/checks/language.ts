import type {LanguageSense} from '../../course/language-sense.js'
import {tidy} from '../../text/normalize.js'
import {scriptShare} from '../../text/script.js'
import type {BasketUnderCheck, CheckContext, PhraseView} from '../model.js'

/** A phrase with an empty side: reported by the basket checks, not checked for language or GATE. */
export const isBlank = (p: PhraseView): boolean => p.target === '' || p.knownBlank

/** Swapped needs both sides to look like the other language; the known side is read only then. A swapped phrase is not checked for GATE. */
export const isSwapped = (p: PhraseView, sense: LanguageSense): boolean =>
  sense.mayBeKnown(p.target, p.targetUnits) && sense.sideOf(p.target, p.targetUnits) === 'known' && sense.sideOf(p.known, p.knownUnits()) === 'target'


/** GATE, wrong-language leakage and swapped sides, phrase by phrase; `onGate` hears each phrase GATE checked, and whether it violated. */
export function checkLanguage(ctx: CheckContext, item: BasketUnderCheck, sense: LanguageSense, onGate?: (phrase: PhraseView, violated: boolean) => void): number {
  const {report} = ctx
  const id = item.basket.id
  let gateViolations = 0
  for (const phrase of item.phrases) {
    // the known side is read only where a check needs it (a phrase from canon's bytes decodes it then)
    const {index, target, targetUnits} = phrase
    if (isBlank(phrase)) continue
    if (isSwapped(phrase, sense)) {
      report('swapped', id, index, `phrase ${index} has known and target exchanged: known "${tidy(phrase.known)}", target "${target}".`)
      continue
    }
    if (sense.scripts) {
      const known = tidy(phrase.known)
      for (const [side, text, expected] of [
        ['known', known, sense.scripts.known],
        ['target', target, sense.scripts.target],
      ] as const) {
        const share = scriptShare(text, expected)
        if (share !== null && share < 0.5) report('leakage', id, index, `phrase ${index}: the ${side} side "${text}" is not in ${expected.join('/')} script.`, undefined, undefined, side)
      }
    }

    // most phrases pass: the full cover (words and their rules) is worked out for a finding only
    const violated = !ctx.gatePasses(phrase, item.lego)
    onGate?.(phrase, violated)
    if (violated) {
      gateViolations++
      const result = ctx.gate.check(targetUnits, item.lego)
      report('gate', id, index, `phrase ${index} "${target}" uses ${result.uncovered.map((w) => `"${w}"`).join(', ')}, not yet available at ${item.lego.id} (${ctx.gate.definition}).`, result.uncovered, result.words)
    }
  }
  return gateViolations
}
