import type {LanguageSense} from '../../course/language-sense.js'
import {tidy} from '../../text/normalize.js'
import {scriptShare} from '../../text/script.js'
import type {BasketUnderCheck, CheckContext} from '../model.js'

/** GATE, wrong-language leakage and swapped sides, phrase by phrase. */
export function checkLanguage(ctx: CheckContext, item: BasketUnderCheck, sense: LanguageSense): number {
  const {report} = ctx
  const id = item.basket.id
  let gateViolations = 0
  for (const {index, known: rawKnown, target, knownUnits, targetUnits} of item.phrases) {
    if (target === '' || !/\S/.test(rawKnown)) continue

    // Swapped needs both sides to look like the other language; the known side is read only then.
    if (sense.mayBeKnown(target) && sense.sideOf(target, targetUnits) === 'known' && sense.sideOf(rawKnown, knownUnits()) === 'target') {
      report('swapped', id, index, `phrase ${index} has known and target exchanged: known "${tidy(rawKnown)}", target "${target}".`)
      continue
    }
    if (sense.scripts) {
      const known = tidy(rawKnown)
      for (const [side, text, expected] of [
        ['known', known, sense.scripts.known],
        ['target', target, sense.scripts.target],
      ] as const) {
        const share = scriptShare(text, expected)
        if (share !== null && share < 0.5) report('leakage', id, index, `phrase ${index}: the ${side} side "${text}" is not in ${expected.join('/')} script.`)
      }
    }

    const result = ctx.gate.check(targetUnits, item.lego)
    if (result.uncovered.length > 0) {
      gateViolations++
      report('gate', id, index, `phrase ${index} "${target}" uses ${result.uncovered.map((w) => `"${w}"`).join(', ')}, not yet available at ${item.lego.id} (${ctx.gate.definition}).`, result.uncovered, result.words)
    }
  }
  return gateViolations
}
