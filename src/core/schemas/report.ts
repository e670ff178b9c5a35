import {z} from 'zod'

import {CHECK_IDS} from './check-ids.js'
import {GATE_DEFINITIONS} from './gate-definitions.js'
import {ATTEMPT_CLASSES} from './ledger.js'
import {agentKind, attemptClass, count, share, textPair} from './results/common.js'
import {detectCounts} from './results/detect.js'
import {validateResult, VERDICTS} from './results/validate.js'

/**
 * The data `wicker report` embeds in its HTML file (core/report/data.ts builds it): the headline
 * numbers exactly as detect and validate give them, one entry per seed for the heatmaps, the checks,
 * the worst baskets, GATE under all four definitions, launch runs from their ledgers, and the
 * journal's history. Kept small for big courses: per-seed GATE counts are arrays in the order of
 * `gate.definitions`, and a LEGO's findings are written only when it has some.
 */
const checkId = z.enum(CHECK_IDS)
const severity = z.enum(['error', 'warning'])
const findingsByCheck = z.partialRecord(checkId, count)

export const LEGO_STATES = ['ok', 'missing', 'empty', 'stray', 'overage', 'recycled'] as const
/** the states of new LEGOs (the others are of LEGOs that are new: false) */
export const NEW_LEGO_STATES: readonly LegoState[] = ['ok', 'missing', 'empty', 'stray']

/**
 * A LEGO of a seed as a tuple, to keep a 100,000-LEGO course's data a few MB: [id, state, target
 * text, findings per check]. The text is there when the LEGO needs attention (a state other than
 * ok, or findings), the findings only when it has some. Whether it is new follows from the state.
 */
const legoId = z.string()
const legoState = z.enum(LEGO_STATES)
const legoEntry = z
  .union([z.tuple([legoId, legoState]), z.tuple([legoId, legoState, z.string()]), z.tuple([legoId, legoState, z.string(), findingsByCheck])])
  .describe(
    "[id, state, target, findings]: target only when state is not ok or it has findings; state is detect's classification (new LEGOs: ok = a usable basket, missing = none, empty = a basket with no usable phrase, stray = only a basket at canon's top level; the others: overage = a basket they must not have, recycled = none, as it should be); findings: validate's findings on its basket per check, absent when none",
  )

const seedEntry = z.object({
  id: z.string(),
  known: z.string(),
  target: z.string(),
  legos: z.array(legoEntry).describe('its new LEGOs, and those that are not new but have a basket or findings (overage), in seed order'),
  /** new LEGOs, and those of them with a usable basket */
  needed: count,
  present: count,
  share: share.nullable().describe('present / needed: the coverage heatmap colour; null for a seed with no new LEGO'),
  findings: count.describe("validate's findings on the baskets of the seed's LEGOs (the second heatmap)"),
  errors: count,
  /** phrases of the seed's baskets that validate reads */
  phrases: count,
  gateViolations: z.array(count).describe('phrases breaking GATE, one count per definition in the order of gate.definitions'),
})

const phraseFinding = z.object({
  check: checkId,
  severity,
  message: z.string(),
  words: z.array(z.string()).optional().describe('gate: the words that were not available (to highlight)'),
  missing: z.string().optional().describe("containment: the LEGO's target text the phrase lacks"),
  side: z.enum(['known', 'target', 'both']).optional().describe('leakage: the side in the wrong script; swapped: both'),
})

const worstBasket = z.object({
  basket: z.string(),
  seed: z.string(),
  lego: textPair,
  score: count.describe('errors × ERROR_WEIGHT + warnings: the order of the list'),
  errors: count,
  warnings: count,
  /** findings on the basket as a whole (phrase count, derived fields, lego text…) */
  findings: z.array(z.object({check: checkId, severity, message: z.string()})),
  phrases: z.array(z.object({index: count, known: z.string(), target: z.string(), findings: z.array(phraseFinding)})),
})

const gateRate = z.object({
  definition: z.enum(GATE_DEFINITIONS),
  phrases: count,
  violations: count,
  rate: z.number().min(0).max(100).describe('violations as a percentage of phrases, as validate --gate <definition> gives it'),
})

const attempt = z.object({
  packet: z.string(),
  attempt: count,
  shard: z.string().nullable().describe('"I/N", or null for an unsharded launch'),
  event: z.enum(['end', 'interrupted', 'start']).describe('start: an attempt with no end (a killed launch left it)'),
  start: z.string().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  class: attemptClass.nullable(),
  tokens: z.object({input: z.number().nonnegative(), output: z.number().nonnegative()}).nullable(),
  costUsd: z.number().nonnegative().nullable(),
  agent: agentKind.nullable().describe('the agent kind, when the ledger records it'),
})

const spend = {
  tokens: z.object({input: z.number().nonnegative(), output: z.number().nonnegative()}).nullable().describe('summed over the attempts that report tokens; null when none does'),
  costUsd: z.number().nonnegative().nullable().describe('summed over the attempts that report a cost; null when none does'),
}

const runEntry = z.object({
  run: z.string(),
  /** packets in the run's plan; null when it has none that reads */
  packets: count.nullable(),
  /** shards of the run seen (its ledgers' folders, "I/N") */
  shards: z.array(z.string()),
  attempts: z.array(attempt),
  /** packets with an ok attempt (or an interrupted one whose output was staged) */
  ok: count,
  failures: z.partialRecord(z.enum(ATTEMPT_CLASSES), count).describe('ended attempts per class other than ok'),
  interrupted: count,
  ...spend,
  byAgent: z.array(z.object({agent: agentKind.nullable().describe('null: attempts whose ledger line names no agent (older ledgers)'), attempts: count, ...spend})).describe('ended attempts, tokens and cost per agent kind'),
})

const historyEntry = z.object({
  tx: z.string(),
  kind: z.enum(['merge', 'restore']),
  status: z.enum(['committed', 'aborted', 'abandoned', 'open']),
  at: z.string(),
  committedAt: z.string().nullable(),
  added: count,
  updated: count,
  adopted: count,
  /** the backup of canon before it, relative to the course */
  backup: z.string().nullable(),
  /** restore: the transaction undone */
  target: z.string().nullable(),
  coverage: z
    .object({present: count, needed: count, coverage: share})
    .nullable()
    .describe("detect's coverage of canon just after it (read from canon or a later transaction's backup, checked by hash); null when those bytes are no longer there"),
})

export const reportDataSchema = z
  .object({
    kind: z.literal('wicker/report-data'),
    version: z.literal(1),
    course: z.string(),
    generatedAt: z.string(),
    wicker: z.string().describe('version of wicker that made it'),
    detect: z.object({counts: detectCounts, coverage: share}).describe('as detect --json gives them'),
    validate: validateResult.pick({gate: true, passed: true, verdict: true, verdictReasons: true, counts: true}).describe('as validate --json gives them'),
    verdicts: z.array(z.enum(VERDICTS)).describe('the verdicts there are, best first'),
    seeds: z.array(seedEntry).describe('in course order'),
    checks: validateResult.shape.checks,
    worst: z.array(worstBasket).describe('the baskets with the most findings, worst first'),
    gate: z.object({
      definition: z.enum(GATE_DEFINITIONS).describe('the one validate used'),
      definitions: z.array(z.enum(GATE_DEFINITIONS)).describe('the order of seeds[].gateViolations'),
      settings: z.object({windowSeeds: count, recentNewLegos: count, components: z.boolean()}),
      rates: z.array(gateRate),
    }),
    runs: z.array(runEntry),
    history: z.array(historyEntry).describe('transactions in journal order'),
  })
  .meta({title: 'wicker report data'})

export type ReportData = z.infer<typeof reportDataSchema>
export type ReportSeed = z.infer<typeof seedEntry>
export type ReportLego = z.infer<typeof legoEntry>
export type ReportRun = z.infer<typeof runEntry>
export type ReportHistory = z.infer<typeof historyEntry>
export type ReportWorst = z.infer<typeof worstBasket>
export type LegoState = (typeof LEGO_STATES)[number]
