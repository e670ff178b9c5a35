import type {Canon} from '../canon/model.js'
import type {Course} from '../course/model.js'
import type {GateDefinition} from '../schemas/config.js'
import {prepareChecker, type BasketChecker} from './checker.js'
import {checkEncoding} from './checks/encoding.js'
import {checkStructure} from './checks/structure.js'
import type {GateRates} from './gate-rates.js'
import {CHECKS, type CheckId, type Finding, type Severity, type ValidateOptions} from './model.js'
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
  return prepareValidate(course, options)(canon)
}

/** validate in two steps: the GATE indexes and the rest the course alone decides, then one canon's checks (see prepareChecker). */
export function prepareValidate(course: Course, options: ValidateOptions): (canon: Canon) => ValidateResult {
  const checkerFor = prepareChecker(course, options, null)
  return (canon) => checkCanon(course, canon, options, checkerFor(canon)).result
}

/**
 * validate, and the GATE rates under its definition and `definitions` counted in the same pass (the
 * report's): each phrase is tokenised once, and checked under another definition by that one's
 * `passes`.
 */
export function validateWithGateRates(course: Course, canon: Canon, options: ValidateOptions, definitions: readonly GateDefinition[]): {result: ValidateResult; gate: GateRates} {
  return prepareValidateWithGateRates(course, options, definitions)(canon)
}

/** validateWithGateRates in two steps, as prepareValidate. */
export function prepareValidateWithGateRates(course: Course, options: ValidateOptions, definitions: readonly GateDefinition[]): (canon: Canon) => {result: ValidateResult; gate: GateRates} {
  const checkerFor = prepareChecker(course, options, definitions)
  return (canon) => {
    const {result, gate} = checkCanon(course, canon, options, checkerFor(canon))
    return {result, gate: gate!}
  }
}

function checkCanon(course: Course, canon: Canon, options: ValidateOptions, checker: BasketChecker): {result: ValidateResult; gate: GateRates | null} {
  checkStructure(checker.ctx)
  for (const stray of canon.strays.values()) checkEncoding(checker.ctx, stray)
  const tick = progressEvery(options.onProgress, 'checking baskets', canon.baskets.size, 500)
  let checked = 0
  for (const basket of canon.baskets.values()) {
    tick(++checked)
    checker.check(basket)
  }
  return {result: validateResult(course, canon, options, checker), gate: checker.rates}
}

/** The result from every finding in order and the counts of the phrases read. */
export function validateResult(course: Course, canon: Canon, options: ValidateOptions, checked: {findings: Finding[]; phrases: number; gateViolations: number}): ValidateResult {
  const {findings, phrases, gateViolations} = checked
  const counts = new Map<CheckId, number>()
  for (const f of findings) counts.set(f.check, (counts.get(f.check) ?? 0) + 1)
  const limits = verdictLimits(options.validate)
  const {verdict, reasons, blocking} = decideVerdict({counts, phrases, gateViolations, gateDefinition: options.gate.definition}, limits)
  const critical = new Set(limits.critical)
  const checks = (Object.keys(CHECKS) as CheckId[]).map((id) => ({id, severity: CHECKS[id].severity, critical: critical.has(id), blocks: blocking.has(id), count: counts.get(id) ?? 0, description: CHECKS[id].description}))

  const gateViolationRate = phrases === 0 ? 0 : (gateViolations / phrases) * 100
  const errors = findings.filter((f) => f.severity === 'error').length

  return {
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
}
