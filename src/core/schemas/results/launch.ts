import {z} from 'zod'

import {agentKind, attemptClass, count} from './common.js'

export const launchEstimate = z.object({
  packets: count,
  legos: count,
  promptChars: count,
  promptTokens: count,
  outputTokens: count.nullable(),
  expectedUsd: z.number().nonnegative().nullable().describe('null when the config has no prices for this agent'),
})

const segmentTally = z.object({index: count, ok: count, failed: count, retried: count, skipped: count, interrupted: count, notStarted: count})

export const launchResult = z
  .object({
    run: z.string(),
    agent: agentKind,
    packets: z.object({total: count, ok: count, failed: count, interrupted: count, notStarted: count, skipped: count}),
    attempts: count,
    staged: z.array(z.string()),
    failures: z.array(z.object({packet: z.string(), index: count, class: attemptClass, message: z.string()})),
    segments: z.array(segmentTally),
    costUsd: z.number().nonnegative().nullable(),
    halted: z.string().nullable(),
    interrupted: z.boolean(),
    ledger: z.string(),
    estimate: launchEstimate.nullable(),
  })
  .meta({title: 'wicker launch --json result'})

const where = {packet: z.string(), index: count}

/** One line of launch's NDJSON progress on stderr with --json. */
export const launchEvent = z
  .discriminatedUnion('type', [
    z.object({type: z.literal('plan'), run: z.string(), packets: count, todo: z.array(z.object({...where, legos: count, promptChars: count})), segments: count}),
    z.object({type: z.literal('estimate'), ...launchEstimate.shape}),
    z.object({type: z.literal('skip'), ...where, reason: z.string()}),
    z.object({type: z.literal('start'), ...where, attempt: count, pid: z.int().positive().nullable()}),
    z.object({type: z.literal('end'), ...where, attempt: count, class: attemptClass, message: z.string(), durationMs: z.number().nonnegative(), staged: z.string().nullable(), costUsd: z.number().nonnegative().nullable().optional()}),
    z.object({type: z.literal('interrupted'), ...where, attempt: count, staged: z.string().nullable()}),
    z.object({type: z.literal('retry'), ...where, attempt: count, inMs: z.number().nonnegative()}),
    z.object({type: z.literal('pause'), agent: z.string(), untilMs: z.number().nonnegative(), reason: z.string()}),
    z.object({type: z.literal('halt'), reason: z.string()}),
  ])
  .meta({title: 'wicker launch --json progress event', description: 'Each line launch writes to stderr with --json is one of these (NDJSON).'})
