import type {Canon} from '../canon/model.js'
import type {Course, Lego} from '../course/model.js'
import {languageSense} from '../course/language-sense.js'
import {buildGateIndex, type GateIndexSettings} from '../gate/index.js'
import {GATE_DEFINITIONS, type GateDefinition} from '../schemas/gate-definitions.js'
import {isBlank, isSwapped} from './checks/language.js'
import type {PhraseView} from './model.js'
import {phraseViews} from './phrase-views.js'

export interface GateRates {
  definitions: GateDefinition[]
  /** phrases validate reads in the baskets of the course's LEGOs (the rate's denominator) */
  phrases: number
  /** phrases with at least one GATE violation, per definition (in `definitions` order) */
  violations: number[]
  /** per seed id: its phrases, and its violations per definition */
  perSeed: Map<string, {phrases: number; violations: number[]}>
}

/**
 * Only the GATE part of validate, under several definitions at once: the same phrases (readable ones
 * of baskets whose id is a LEGO), the same skips (a blank side, a swapped phrase), one index per
 * definition, each phrase tokenised once and checked by the full cover. The rate of a definition is
 * what `validate --gate` with it gives, without running every other check again. validate itself
 * counts these rates in its own pass when asked (gateTally below); this is the plain computation.
 */
export function gateRates(course: Course, canon: Canon, settings: Omit<GateIndexSettings, 'definition'>, definitions: readonly GateDefinition[] = GATE_DEFINITIONS): GateRates {
  const indexes = definitions.map((definition) => buildGateIndex(course, {...settings, definition}))
  const sense = languageSense(course)
  const violations = definitions.map(() => 0)
  const perSeed = new Map<string, {phrases: number; violations: number[]}>()
  let phrases = 0
  for (const basket of canon.baskets.values()) {
    const lego = course.legoById.get(basket.id)
    if (!lego) continue
    const views = phraseViews(basket)
    let seed = perSeed.get(lego.seedId)
    if (!seed) perSeed.set(lego.seedId, (seed = {phrases: 0, violations: definitions.map(() => 0)}))
    phrases += views.length
    seed.phrases += views.length
    for (const view of views) {
      if (isBlank(view) || isSwapped(view, sense)) continue
      indexes.forEach((index, i) => {
        if (index.check(view.targetUnits, lego).uncovered.length === 0) return
        violations[i]!++
        seed.violations[i]!++
      })
    }
  }
  return {definitions: [...definitions], phrases, violations, perSeed}
}

/**
 * Definitions whose words available at a LEGO are all available under another: seed's are every
 * entry of the seeds up to the current one (components included), which holds cumulative's (LEGOs at
 * positions up to the current one, positions in course order) and window's (sentences and LEGOs of
 * the seeds before, the current seed's LEGOs so far, recent new LEGOs). The cover only gains from
 * more available entries (fallbacks ask whether a form is available), so a phrase that passes one
 * of these passes seed: seed's own test is skipped for it. gateRates, which checks every definition,
 * is the oracle (test/unit/validate/gate-rates.test.ts).
 */
const WITHIN: Partial<Record<GateDefinition, GateDefinition[]>> = {seed: ['cumulative', 'window']}

/** Whether a phrase of a basket of `lego` uses only words available under one definition. */
export type PhrasePasses = (phrase: PhraseView, lego: Lego) => boolean

/**
 * GATE rates counted while validate reads the phrases (validate.ts, `gateRates` option): the same
 * phrases and skips as gateRates, validate's own definition counted from its own check and each
 * other one by its `passes`, so no phrase is tokenised or checked twice. The result equals
 * gateRates over the same definitions (test/unit/validate/gate-rates.test.ts).
 */
export function gateTally(definitions: readonly GateDefinition[], own: GateDefinition, passes: (definition: GateDefinition) => PhrasePasses): {basket(lego: Lego, phrases: number): (phrase: PhraseView, ownViolated: boolean) => void; rates: GateRates} {
  const order = GATE_DEFINITIONS.filter((d) => d === own || definitions.includes(d))
  const tests = order.map((d) => (d === own ? null : passes(d)))
  // per definition, the earlier ones in `order` whose pass implies its own (bit i: order[i])
  const impliedBy = order.map((d) => (WITHIN[d] ?? []).reduce((mask, sub) => (order.indexOf(sub) >= 0 && order.indexOf(sub) < order.indexOf(d) ? mask | (1 << order.indexOf(sub)) : mask), 0))
  const rates: GateRates = {definitions: order, phrases: 0, violations: order.map(() => 0), perSeed: new Map()}
  return {
    rates,
    basket(lego, phrases) {
      let seed = rates.perSeed.get(lego.seedId)
      if (!seed) rates.perSeed.set(lego.seedId, (seed = {phrases: 0, violations: order.map(() => 0)}))
      rates.phrases += phrases
      seed.phrases += phrases
      const counts = seed.violations
      return (phrase, ownViolated) => {
        let passed = 0
        for (let i = 0; i < tests.length; i++) {
          const test = tests[i]
          if ((passed & impliedBy[i]!) !== 0 || (test ? test(phrase, lego) : !ownViolated)) {
            passed |= 1 << i
            continue
          }
          rates.violations[i]!++
          counts[i]!++
        }
      }
    },
  }
}
