import type {Canon} from '../canon/model.js'
import type {Course} from '../course/model.js'
import {buildGateIndex} from '../gate/index.js'
import type {GateDefinition} from '../schemas/config.js'
import {checkBasket} from './checks/basket.js'
import {checkEncoding} from './checks/encoding.js'
import {languageSense} from '../course/language-sense.js'
import {checkLanguage} from './checks/language.js'
import {checkStructure} from './checks/structure.js'
import {gateTally, type GateRates, type PhrasePasses} from './gate-rates.js'
import {phraseViews} from './phrase-views.js'
import {CHECKS, type CheckContext, type CheckId, type Finding, type Severity, type ValidateOptions} from './model.js'
import {decideVerdict, verdictLimits, type Verdict} from './verdict.js'
import {progressEvery} from '../progress.js'

export interface ValidateResult {
  course: string
  gate: GateDefinition
  /** the verdict is not BLOCK */
  passed: boolean
  /** why it failed, in a sentence each; empty when it passed */
  reasons: string[]
  /** go/no-go: BLOCK (a critical check failed or a limit was passed), CONDITIONAL_PROCEED (findings within the limits), PROCEED (none) */
  verdict: Verdict
  /** each names the check and its count against the limit: what blocked, or what makes the verdict conditional; empty on PROCEED */
  verdictReasons: string[]
  /** the canon file checked */
  file: string
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
  /** critical: any finding of the check blocks; blocks: its findings are part of why the verdict is BLOCK */
  checks: Array<{id: CheckId; severity: Severity; critical: boolean; blocks: boolean; count: number; description: string}>
  findings: Finding[]
}

/** Checks canon against lego_pairs. Pure: the course and canon are already loaded. */
export function validate(course: Course, canon: Canon, options: ValidateOptions): ValidateResult {
  return checkCanon(course, canon, options, null).result
}

/**
 * validate, and the GATE rates under its definition and `definitions` counted in the same pass (the
 * report's): each phrase is tokenised once, and checked under another definition by that one's
 * `passes`.
 */
export function validateWithGateRates(course: Course, canon: Canon, options: ValidateOptions, definitions: readonly GateDefinition[]): {result: ValidateResult; gate: GateRates} {
  const {result, gate} = checkCanon(course, canon, options, definitions)
  return {result, gate: gate!}
}

function checkCanon(course: Course, canon: Canon, options: ValidateOptions, rates: readonly GateDefinition[] | null): {result: ValidateResult; gate: GateRates | null} {
  const findings: Finding[] = []
  options.onProgress?.('building the GATE index')
  const chunks = buildGateIndex(course, {...options.gate, definition: 'strict', components: false})
  const ctx: CheckContext = {
    course,
    canon,
    options,
    gate: buildGateIndex(course, options.gate),
    chunks,
    chunkCover: (phrase, lego) => (phrase.chunkCover ??= chunks.count(phrase.targetUnits, lego)),
    report(check, basket, phrase, message, words, coverage, side) {
      findings.push({check, severity: CHECKS[check].severity, basket, phrase, message, ...(words ? {words} : {}), ...(coverage ? {coverage} : {}), ...(side ? {side} : {})})
    },
  }
  checkStructure(ctx)
  const tally = rates ? gateTally(rates, options.gate.definition, (definition) => phrasePasses(course, ctx, definition)) : null

  const sense = languageSense(course)
  const seedIndex = new Map(course.seeds.map((s) => [s.id, s.index]))
  let phrases = 0
  let gateViolations = 0
  for (const stray of canon.strays.values()) checkEncoding(ctx, stray)
  const tick = progressEvery(options.onProgress, 'checking baskets', canon.baskets.size, 500)
  let checked = 0
  for (const basket of canon.baskets.values()) {
    tick(++checked)
    // a SpanBasket makes its phrases each time they are asked for: once here, for every check
    const all = basket.phrases
    checkEncoding(ctx, basket, all)
    const lego = course.legoById.get(basket.id)
    if (!lego) continue
    const readable = phraseViews(basket, all)
    phrases += readable.length
    const item = {basket, lego, phrases: readable, all}
    checkBasket(ctx, item, seedIndex.get(lego.seedId) ?? 0)
    gateViolations += checkLanguage(ctx, item, sense, tally?.basket(lego, readable.length))
  }

  const counts = new Map<CheckId, number>()
  for (const f of findings) counts.set(f.check, (counts.get(f.check) ?? 0) + 1)
  const limits = verdictLimits(options.validate)
  const {verdict, reasons, blocking} = decideVerdict({counts, phrases, gateViolations, gateDefinition: options.gate.definition}, limits)
  const critical = new Set(limits.critical)
  const checks = (Object.keys(CHECKS) as CheckId[]).map((id) => ({id, severity: CHECKS[id].severity, critical: critical.has(id), blocks: blocking.has(id), count: counts.get(id) ?? 0, description: CHECKS[id].description}))

  const gateViolationRate = phrases === 0 ? 0 : (gateViolations / phrases) * 100
  const errors = findings.filter((f) => f.severity === 'error').length

  const result: ValidateResult = {
    course: course.code,
    gate: options.gate.definition,
    passed: verdict !== 'BLOCK',
    reasons: verdict === 'BLOCK' ? reasons : [],
    verdict,
    verdictReasons: reasons,
    file: canon.file,
    counts: {baskets: canon.baskets.size, phrases, errors, warnings: findings.length - errors, gateViolations, gateViolationRate},
    checks,
    findings,
  }
  return {result, gate: tally?.rates ?? null}
}

/** A GATE test for gateTally: strict reads the chunk cover the shape check already made, the others their own index. */
function phrasePasses(course: Course, ctx: CheckContext, definition: GateDefinition): PhrasePasses {
  // strict uses whole chunks only: components and elision, the settings that differ from ctx.chunks', do not change it
  if (definition === 'strict') return (phrase, lego) => ctx.chunkCover(phrase, lego).covered
  const index = buildGateIndex(course, {...ctx.options.gate, definition})
  return (phrase, lego) => index.passes(phrase.targetUnits, lego)
}
