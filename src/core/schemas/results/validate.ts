import {z} from 'zod'

import {CHECK_IDS} from '../check-ids.js'
import {GATE_DEFINITIONS} from '../gate-definitions.js'
import {count} from './common.js'

export const checkId = z.enum(CHECK_IDS)

const severity = z.enum(['error', 'warning'])

const gateRule = z.enum(['whole-lego', 'word', 'frame', 'component', 'segment', 'elision', 'sentence', 'mutation'])

export const VERDICTS = ['PROCEED', 'CONDITIONAL_PROCEED', 'BLOCK'] as const

export const validateResult = z
  .object({
    course: z.string(),
    gate: z.enum(GATE_DEFINITIONS),
    passed: z.boolean().describe('verdict is not BLOCK'),
    reasons: z.array(z.string()).describe('why it failed, a sentence each; empty when it passed'),
    verdict: z.enum(VERDICTS).describe('go/no-go: PROCEED, CONDITIONAL_PROCEED (warnings within the limits) or BLOCK'),
    verdictReasons: z.array(z.string()).describe('each names the check and its count against the limit'),
    file: z.string().describe('the canon file checked'),
    counts: z.object({
      baskets: count,
      phrases: count,
      errors: count,
      warnings: count,
      gateViolations: count.describe('phrases with at least one GATE violation'),
      gateViolationRate: z.number().min(0).max(100).describe('gateViolations as a percentage of phrases checked'),
    }),
    checks: z.array(
      z.object({
        id: checkId,
        severity,
        critical: z.boolean().describe('any finding of this check blocks'),
        blocks: z.boolean().describe('its findings are part of why the verdict is BLOCK'),
        count,
        description: z.string(),
      }),
    ),
    findings: z.array(
      z.object({
        check: checkId,
        severity,
        basket: z.string().nullable().describe('basket id, or null for course-wide findings'),
        phrase: count.nullable().describe('phrase index within the basket, or null'),
        message: z.string(),
        words: z.array(z.string()).optional().describe('gate: the words that were not available'),
        coverage: z.array(z.object({word: z.string(), rule: gateRule.nullable()})).optional().describe('gate: every word of the phrase with the rule that made it available, or null'),
        side: z.enum(['known', 'target']).optional().describe('leakage: the side in the wrong script'),
      }),
    ),
  })
  .meta({title: 'wicker validate --json result'})
