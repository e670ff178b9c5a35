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

const launchUploads = z
  .object({
    url: z.string().describe('the wicker serve base URL outputs were PUT to'),
    sent: count.describe('delivered by this launch (answered 201, or 200: the same bytes were there already)'),
    already: count.describe('listed as delivered in uploads.ndjson by an earlier launch: not sent again'),
    failed: count.describe('not delivered: run the same command again to send them'),
    failures: z.array(z.object({name: z.string(), status: z.int().nullable().describe('the HTTP status; null for a network error, a timeout or a stop'), message: z.string()})),
  })
  .describe('launch --upload: what was delivered to wicker serve')

const launchRun = z
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
    shard: z.string().nullable().describe('--shard I/N: "I/N"; null for the whole run'),
    uploads: launchUploads.nullable().describe('null without --upload'),
    estimate: launchEstimate.nullable(),
  })
  .describe('a launch that ran')

const agentInvocation = z.object({
  packet: z.string(),
  index: count,
  attempt: count,
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()).describe('added to wicker\'s own environment'),
  envAtStart: z.array(z.string()).describe('also added, with a value made as the attempt starts'),
  cwd: z.string(),
  stdinFile: z.string().describe('the file whose text goes to the agent\'s stdin'),
  timeoutMs: count,
  idleTimeoutMs: count,
})

const launchDryRun = z
  .object({
    run: z.string(),
    agent: agentKind,
    dryRun: z.literal(true),
    shard: z.string().nullable(),
    packets: z.object({total: count, todo: count, skipped: count}),
    skipped: z.array(z.object({packet: z.string(), index: count, reason: z.string()})),
    invocations: z.array(agentInvocation).describe('each packet\'s next attempt, exactly as a real launch would start it'),
  })
  .describe('launch --dry-run: what it would start; nothing started or written')

export const launchResult = z.union([launchRun, launchDryRun]).meta({title: 'wicker launch --json result'})

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
    z.object({
      type: z.literal('batch'),
      provider: z.enum(['anthropic', 'openai']),
      batch: z.string(),
      requests: count,
      status: z.string(),
      counts: z.object({processing: count, succeeded: count, errored: count, canceled: count, expired: count}),
    }),
  ])
  .meta({title: 'wicker launch --json progress event', description: 'Each line launch writes to stderr with --json is one of these (NDJSON).'})
