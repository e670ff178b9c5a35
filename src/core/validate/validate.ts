import type {Canon} from '../canon/model.js'
import type {Course} from '../course/model.js'
import {buildGateIndex} from '../gate/index.js'
import type {GateDefinition} from '../schemas/config.js'
import {keyOf, tidy, units, unitsOfNfc} from '../text/normalize.js'
import {checkBasket} from './checks/basket.js'
import {checkEncoding} from './checks/encoding.js'
import {languageSense} from '../course/language-sense.js'
import {checkLanguage} from './checks/language.js'
import {checkStructure} from './checks/structure.js'
import {CHECKS, type CheckContext, type CheckId, type Finding, type PhraseView, type Severity, type ValidateOptions} from './model.js'
import {progressEvery} from '../progress.js'

export interface ValidateResult {
  course: string
  gate: GateDefinition
  passed: boolean
  /** why it failed, in a sentence each; empty when it passed */
  reasons: string[]
  counts: {
    baskets: number
    phrases: number
    errors: number
    warnings: number
    /** phrases with at least one GATE violation */
    gateViolations: number
    /** gateViolations as a percentage of phrases checked */
    gateViolationRate: number
  }
  checks: Array<{id: CheckId; severity: Severity; count: number; description: string}>
  findings: Finding[]
}

/** Checks canon against lego_pairs. Pure: the course and canon are already loaded. */
export function validate(course: Course, canon: Canon, options: ValidateOptions): ValidateResult {
  const findings: Finding[] = []
  options.onProgress?.('building the GATE index')
  const ctx: CheckContext = {
    course,
    canon,
    options,
    gate: buildGateIndex(course, options.gate),
    chunks: buildGateIndex(course, {...options.gate, definition: 'strict', components: false}),
    report(check, basket, phrase, message, words, coverage) {
      findings.push({check, severity: CHECKS[check].severity, basket, phrase, message, ...(words ? {words} : {}), ...(coverage ? {coverage} : {})})
    },
  }
  checkStructure(ctx)

  const sense = languageSense(course)
  const seedIndex = new Map(course.seeds.map((s) => [s.id, s.index]))
  let phrases = 0
  let gateViolations = 0
  for (const stray of canon.strays.values()) checkEncoding(ctx, stray)
  const tick = progressEvery(options.onProgress, 'checking baskets', canon.baskets.size, 500)
  let checked = 0
  for (const basket of canon.baskets.values()) {
    tick(++checked)
    checkEncoding(ctx, basket)
    const lego = course.legoById.get(basket.id)
    if (!lego) continue
    const readable: PhraseView[] = []
    basket.phrases.forEach((phrase, index) => {
      if (!phrase) return
      const known = phrase.known
      const target = tidy(phrase.target)
      const targetUnits = unitsOfNfc(target)
      let knownUnits: ReturnType<typeof unitsOfNfc> | undefined
      readable.push({index, known, target, knownUnits: () => (knownUnits ??= units(known)), targetUnits, targetKey: keyOf(targetUnits)})
    })
    phrases += readable.length
    const item = {basket, lego, phrases: readable}
    checkBasket(ctx, item, seedIndex.get(lego.seedId) ?? 0)
    gateViolations += checkLanguage(ctx, item, sense)
  }

  const counts = new Map<CheckId, number>()
  for (const f of findings) counts.set(f.check, (counts.get(f.check) ?? 0) + 1)
  const checks = (Object.keys(CHECKS) as CheckId[]).map((id) => ({id, severity: CHECKS[id].severity, count: counts.get(id) ?? 0, description: CHECKS[id].description}))

  const gateViolationRate = phrases === 0 ? 0 : (gateViolations / phrases) * 100
  const errors = findings.filter((f) => f.severity === 'error')
  const warnings = findings.length - errors.length
  const reasons: string[] = []
  const otherErrors = errors.filter((f) => f.check !== 'gate')
  if (otherErrors.length > 0) reasons.push(`${otherErrors.length} error finding(s) outside GATE`)
  if (gateViolationRate > options.validate.maxGateViolations) {
    reasons.push(`${gateViolations} of ${phrases} phrases (${gateViolationRate.toFixed(2)}%) break GATE (${options.gate.definition}), over the ${options.validate.maxGateViolations}% allowed`)
  }
  if (options.validate.strict && warnings > 0) reasons.push(`${warnings} warning(s) with --strict`)

  return {
    course: course.code,
    gate: options.gate.definition,
    passed: reasons.length === 0,
    reasons,
    counts: {baskets: canon.baskets.size, phrases, errors: errors.length, warnings, gateViolations, gateViolationRate},
    checks,
    findings,
  }
}
