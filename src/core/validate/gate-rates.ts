import type {Canon} from '../canon/model.js'
import type {Course} from '../course/model.js'
import {languageSense} from '../course/language-sense.js'
import {buildGateIndex, type GateIndexSettings} from '../gate/index.js'
import {GATE_DEFINITIONS, type GateDefinition} from '../schemas/gate-definitions.js'
import {isBlank, isSwapped} from './checks/language.js'
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
 * definition, each phrase tokenised once. The rate of a definition is what `validate --gate` with it
 * gives, without running every other check again.
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
 * The rates of every definition when validate already checked one of them: its GATE findings (one
 * per violating phrase) give that definition's counts, and gateRates runs only for the others.
 */
export function gateRatesWith(course: Course, canon: Canon, settings: Omit<GateIndexSettings, 'definition'>, checked: {definition: GateDefinition; findings: ReadonlyArray<{check: string; basket: string | null}>}): GateRates {
  const others = GATE_DEFINITIONS.filter((d) => d !== checked.definition)
  const rates = gateRates(course, canon, settings, others)
  const bySeed = new Map<string, number>()
  let total = 0
  for (const f of checked.findings) {
    if (f.check !== 'gate' || f.basket === null) continue
    const seed = course.legoById.get(f.basket)?.seedId
    if (seed === undefined) continue
    total++
    bySeed.set(seed, (bySeed.get(seed) ?? 0) + 1)
  }
  const at = GATE_DEFINITIONS.indexOf(checked.definition)
  const insert = (list: number[], value: number) => [...list.slice(0, at), value, ...list.slice(at)]
  const perSeed = new Map([...rates.perSeed].map(([seed, s]) => [seed, {phrases: s.phrases, violations: insert(s.violations, bySeed.get(seed) ?? 0)}]))
  return {definitions: [...GATE_DEFINITIONS], phrases: rates.phrases, violations: insert(rates.violations, total), perSeed}
}
