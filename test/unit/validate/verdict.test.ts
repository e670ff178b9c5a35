import {describe, expect, it} from 'vitest'

import {gateSettingsSchema, validateSettingsSchema, type ValidateSettings} from '../../../src/core/schemas/config.js'
import {validate} from '../../../src/core/validate/validate.js'
import {CHECKS} from '../../../src/core/validate/model.js'
import {decideVerdict, DEFAULT_CRITICAL, verdictLimits} from '../../../src/core/validate/verdict.js'
import {courseFrom} from '../../helpers/course.js'
import {VERDICT_CODE, verdictCanon, verdictPairs, type VerdictCanonOptions} from '../../helpers/verdict-course.js'

async function run(canon: VerdictCanonOptions, settings: Partial<ValidateSettings> = {}) {
  const {course, canon: loaded} = await courseFrom(VERDICT_CODE, {'lego_pairs.json': verdictPairs, 'lego_baskets.json': verdictCanon(canon)})
  return validate(course, loaded, {gate: gateSettingsSchema.parse({}), validate: validateSettingsSchema.parse(settings)})
}

describe('the verdict of a course', () => {
  it('PROCEED when nothing is found', async () => {
    const r = await run({})
    expect(r.findings).toEqual([])
    expect(r).toMatchObject({verdict: 'PROCEED', verdictReasons: [], passed: true, reasons: []})
  })

  it('CONDITIONAL_PROCEED on warnings alone, naming the check and its count', async () => {
    const r = await run({legoText: 2})
    expect(r).toMatchObject({verdict: 'CONDITIONAL_PROCEED', passed: true, reasons: []})
    expect(r.verdictReasons).toEqual(['warnings: 2 finding(s) outside the critical checks (lego-text 2), no limit set (--max-warnings)'])
  })

  it('BLOCK on any finding of a critical check, whatever the limits', async () => {
    const r = await run({containment: true}, {maxWarnings: 100, maxGateViolations: 100})
    expect(r).toMatchObject({verdict: 'BLOCK', passed: false})
    expect(r.verdictReasons).toEqual(['containment: 1 finding(s) in a critical check (limit 0)'])
    expect(r.reasons).toEqual(r.verdictReasons)
    expect(r.checks.find((c) => c.id === 'containment')).toMatchObject({critical: true, blocks: true, count: 1})
  })

  it.each([
    [1, 'BLOCK', 'over the limit of 1'],
    [2, 'CONDITIONAL_PROCEED', 'within the limit of 2'],
    [3, 'CONDITIONAL_PROCEED', 'within the limit of 3'],
  ] as const)('2 warnings, --max-warnings %s: %s', async (maxWarnings, verdict, limit) => {
    const r = await run({legoText: 2}, {maxWarnings})
    expect(r.verdict).toBe(verdict)
    expect(r.passed).toBe(verdict !== 'BLOCK')
    expect(r.verdictReasons).toEqual([`warnings: 2 finding(s) outside the critical checks (lego-text 2), ${limit}`])
    expect(r.checks.find((c) => c.id === 'lego-text')!.blocks).toBe(verdict === 'BLOCK')
  })

  it('--strict is --max-warnings 0 and wins over maxWarnings', async () => {
    const r = await run({legoText: 1}, {strict: true, maxWarnings: 5})
    expect(r.verdict).toBe('BLOCK')
    expect(r.verdictReasons).toEqual(['warnings: 1 finding(s) outside the critical checks (lego-text 1), over the limit of 0 (--strict)'])
    expect((await run({}, {strict: true})).verdict).toBe('PROCEED')
  })

  // 1 of 8 phrases = 12.5%
  it.each([
    [12.4, 'BLOCK', 'over the limit of 12.4%'],
    [12.5, 'CONDITIONAL_PROCEED', 'within the limit of 12.5%'],
    [13, 'CONDITIONAL_PROCEED', 'within the limit of 13%'],
  ] as const)('1 of 8 phrases breaking GATE, --max-gate-violations %s: %s', async (maxGateViolations, verdict, limit) => {
    const r = await run({gate: true}, {maxGateViolations})
    expect(r.verdict).toBe(verdict)
    expect(r.verdictReasons).toEqual([`gate: 1 of 8 phrase(s) (12.50%) break GATE (cumulative), ${limit}`])
  })

  it('GATE violations within their limit do not count as warnings', async () => {
    expect((await run({gate: true}, {maxGateViolations: 20, maxWarnings: 0})).verdict).toBe('CONDITIONAL_PROCEED')
  })

  it('a check made critical blocks on one finding; made not critical, its findings are warnings', async () => {
    expect((await run({legoText: 1}, {critical: ['lego-text']})).verdictReasons).toEqual(['lego-text: 1 finding(s) in a critical check (limit 0)'])
    // gate made critical: one violation blocks, even under a generous percentage
    expect((await run({gate: true}, {critical: ['gate'], maxGateViolations: 50})).verdict).toBe('BLOCK')
    const relaxed = await run({containment: true, legoText: 1}, {critical: []})
    expect(relaxed.verdict).toBe('CONDITIONAL_PROCEED')
    expect(relaxed.verdictReasons).toEqual(['warnings: 2 finding(s) outside the critical checks (containment 1, lego-text 1), no limit set (--max-warnings)'])
    expect((await run({containment: true, legoText: 1}, {critical: [], maxWarnings: 1})).verdict).toBe('BLOCK')
  })

  it('lists every blocking reason at once', async () => {
    const r = await run({containment: true, gate: true, legoText: 2}, {maxWarnings: 1})
    expect(r.verdictReasons.map((reason) => reason.split(':')[0])).toEqual(['containment', 'gate', 'warnings'])
  })

  it('by default every error check but gate is critical', () => {
    expect(new Set(DEFAULT_CRITICAL)).toEqual(new Set(Object.entries(CHECKS).filter(([id, c]) => c.severity === 'error' && id !== 'gate').map(([id]) => id)))
    expect(verdictLimits({maxGateViolations: 0, strict: false})).toEqual({critical: DEFAULT_CRITICAL, maxGateViolations: 0, maxWarnings: null, strict: false})
  })

  it('a course without phrases and without findings proceeds', () => {
    const limits = verdictLimits({maxGateViolations: 0, strict: false})
    expect(decideVerdict({counts: new Map(), phrases: 0, gateViolations: 0, gateDefinition: 'cumulative'}, limits).verdict).toBe('PROCEED')
  })

  it('refuses an unknown check in validate.critical, naming it', () => {
    const parsed = validateSettingsSchema.safeParse({critical: ['containment', 'spelling']})
    expect(parsed.success).toBe(false)
    expect(JSON.stringify(parsed.error?.issues)).toContain('critical')
  })
})
