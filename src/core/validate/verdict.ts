import {CHECKS, type CheckId} from './model.js'

/**
 * The go/no-go decision of the workflow wicker replaces: BLOCK when a critical check fails or a
 * limit is passed, CONDITIONAL_PROCEED when nothing blocks but something was found, PROCEED when
 * nothing was found.
 */
export const VERDICTS = ['PROCEED', 'CONDITIONAL_PROCEED', 'BLOCK'] as const
export type Verdict = (typeof VERDICTS)[number]

/**
 * Critical unless the user says otherwise: every check whose findings are errors, except gate,
 * which is measured as a share of phrases against maxGateViolations instead (the four GATE
 * definitions disagree too much for one violation to stop a course).
 */
export const DEFAULT_CRITICAL: readonly CheckId[] = (Object.keys(CHECKS) as CheckId[]).filter((id) => CHECKS[id].severity === 'error' && id !== 'gate')

export interface VerdictLimits {
  critical: readonly CheckId[]
  /** percentage of phrases allowed to break GATE (when gate is not critical) */
  maxGateViolations: number
  /** findings of the other checks allowed; null: no limit */
  maxWarnings: number | null
  /** maxWarnings came from strict (named in the reason) */
  strict: boolean
}

export interface VerdictInput {
  /** findings per check */
  counts: ReadonlyMap<CheckId, number>
  phrases: number
  /** phrases with at least one GATE violation */
  gateViolations: number
  gateDefinition: string
}

export interface VerdictOutcome {
  verdict: Verdict
  /** each names the check and its count against the limit: what blocked, or what makes it conditional */
  reasons: string[]
  /** the checks whose findings are part of why the verdict is BLOCK */
  blocking: Set<CheckId>
}

export function decideVerdict(input: VerdictInput, limits: VerdictLimits): VerdictOutcome {
  const critical = new Set(limits.critical)
  const blocking: string[] = []
  const conditional: string[] = []
  const blockingChecks = new Set<CheckId>()

  for (const id of Object.keys(CHECKS) as CheckId[]) {
    const count = input.counts.get(id) ?? 0
    if (!critical.has(id) || count === 0) continue
    blocking.push(`${id}: ${count} finding(s) in a critical check (limit 0)`)
    blockingChecks.add(id)
  }

  if (!critical.has('gate') && input.gateViolations > 0) {
    const rate = input.phrases === 0 ? 0 : (input.gateViolations / input.phrases) * 100
    const text = `gate: ${input.gateViolations} of ${input.phrases} phrase(s) (${rate.toFixed(2)}%) break GATE (${input.gateDefinition})`
    if (rate > limits.maxGateViolations) {
      blocking.push(`${text}, over the limit of ${limits.maxGateViolations}%`)
      blockingChecks.add('gate')
    } else conditional.push(`${text}, within the limit of ${limits.maxGateViolations}%`)
  }

  const others = (Object.keys(CHECKS) as CheckId[]).filter((id) => id !== 'gate' && !critical.has(id) && (input.counts.get(id) ?? 0) > 0)
  const warnings = others.reduce((sum, id) => sum + (input.counts.get(id) ?? 0), 0)
  if (warnings > 0) {
    const text = `warnings: ${warnings} finding(s) outside the critical checks (${others.map((id) => `${id} ${input.counts.get(id)}`).join(', ')})`
    const limit = limits.maxWarnings === null ? null : `the limit of ${limits.maxWarnings}${limits.strict ? ' (--strict)' : ''}`
    if (limit === null) conditional.push(`${text}, no limit set (--max-warnings)`)
    else if (warnings > (limits.maxWarnings ?? 0)) {
      blocking.push(`${text}, over ${limit}`)
      for (const id of others) blockingChecks.add(id)
    } else conditional.push(`${text}, within ${limit}`)
  }

  if (blocking.length > 0) return {verdict: 'BLOCK', reasons: blocking, blocking: blockingChecks}
  return {verdict: conditional.length > 0 ? 'CONDITIONAL_PROCEED' : 'PROCEED', reasons: conditional, blocking: blockingChecks}
}

/** The limits from the settings: strict is maxWarnings 0 and wins over it. */
export function verdictLimits(settings: {critical?: readonly CheckId[]; maxGateViolations: number; maxWarnings?: number; strict: boolean}): VerdictLimits {
  return {
    critical: settings.critical ?? DEFAULT_CRITICAL,
    maxGateViolations: settings.maxGateViolations,
    maxWarnings: settings.strict ? 0 : (settings.maxWarnings ?? null),
    strict: settings.strict,
  }
}
