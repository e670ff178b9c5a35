import {z} from 'zod'

import {InputError, UsageError} from '../errors.js'
import {checkedJson} from './check.js'
import {gateSettingsSchema} from './config.js'

/**
 * Names read from a run's files become parts of paths (packets/<id>.json, staging files named
 * <run>__<packet>__<attempt>.json, logs): they match these patterns first, so a run plan that came
 * with a cloned course cannot name `../../elsewhere`.
 */
export const RUN_NAME = /^(?!.*__)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
export const PACKET_ID = /^p[0-9a-f]{15}$/

/** the most shards a run is split in (GitHub allows 256 jobs per matrix; a Kubernetes Indexed Job far more) */
export const MAX_SHARDS = 10_000

export const preparedPacketSchema = z.object({
  index: z.int().positive(),
  id: z.string().regex(PACKET_ID, 'not a packet id (p + 15 hex digits)'),
  segment: z.int().nonnegative(),
  orchestrator: z.int().nonnegative(),
  seeds: z.array(z.string()),
  legos: z.int().nonnegative(),
})

/** .wicker/runs/<run>/plan.json, written by prepare-segments and read by launch and status. */
export const runPlanSchema = z.object({
  kind: z.literal('wicker/run-plan'),
  version: z.literal(1),
  run: z.string().regex(RUN_NAME, 'not a run name'),
  course: z.string(),
  createdAt: z.string().max(64),
  gate: gateSettingsSchema,
  packets: z.array(preparedPacketSchema),
  /** prepare-segments --shards: the number of shards the packets were laid out in (launch --shard i/<this>) */
  shards: z.int().min(1).max(MAX_SHARDS).optional(),
  /** prepare-segments --upload: where the prompts tell remote agents to PUT their output, and the token's variable */
  upload: z.object({url: z.string().max(2048), tokenEnv: z.string().max(128)}).optional(),
})

export type PreparedPacket = z.infer<typeof preparedPacketSchema>
export type RunPlan = z.infer<typeof runPlanSchema>

export const PREPARE_AGAIN = 'Prepare the run again with `wicker prepare-segments <course> --run <name>` (a run plan is written by wicker, not by hand).'

/** Shard `index` of `count` (1-based): `launch --shard 2/3`. */
export interface ShardSpec {
  index: number
  count: number
}

/** "2/3", as people write it and as the ledger records it. */
export const shardText = (s: ShardSpec): string => `${s.index}/${s.count}`
/** "2-of-3", as it appears in file and folder names. */
export const shardSlug = (s: ShardSpec): string => `${s.index}-of-${s.count}`

/** `--shard I/N`: 1 ≤ I ≤ N ≤ MAX_SHARDS. */
export function parseShard(text: string, flag = '--shard'): ShardSpec {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(text)
  const index = match ? Number(match[1]) : Number.NaN
  const count = match ? Number(match[2]) : Number.NaN
  if (!match || index < 1 || count < 1 || index > count || count > MAX_SHARDS) {
    throw new UsageError({code: 'E_SHARD', message: `${flag} ${JSON.stringify(text)} is not a shard: it is I/N, shard I of N, with 1 ≤ I ≤ N ≤ ${MAX_SHARDS}.`, hint: `For the second of three machines: ${flag} 2/3 (in a Kubernetes Indexed Job, $((JOB_COMPLETION_INDEX + 1))/N).`, details: {flag, value: text}})
  }
  return {index, count}
}

/**
 * The staging name of a packet's output: launch's for each attempt (with `__shard-I-of-N` when a
 * shard of N > 1 wrote it, so gathered outputs still say which shard did each packet), and the PUT
 * URL of a prompt made with --upload.
 */
export function stagedName(run: string, packet: string, attempt: number, shard: ShardSpec | null = null): string {
  return `${run}__${packet}__${attempt}${shard && shard.count > 1 ? `__shard-${shardSlug(shard)}` : ''}.json`
}

/** A run name given on the command line: letters, digits, `_`, `.`, `-`; no path. */
export function checkRunName(run: string): string {
  if (!RUN_NAME.test(run) || run.includes('..')) {
    throw new UsageError({code: 'E_RUN_NAME', message: `${JSON.stringify(run)} is not a run name.`, hint: 'A run name is up to 64 letters, digits, "_", "." or "-", starting with a letter or digit, with no "__" (it separates the parts of a staging file name; e.g. run-2026-12-01).'})
  }
  return run
}

/** The run plan read from `file`, once checked by its schema and found to be the plan of `run`. */
export function parseRunPlan(value: unknown, file: string, run: string): RunPlan {
  const plan = checkedJson(value, file, runPlanSchema, {what: 'Run plan', code: 'E_RUN_PLAN', hint: PREPARE_AGAIN})
  if (plan.run !== run) {
    const problems = [`run: says ${JSON.stringify(plan.run)}, but it is the plan of run ${run}`]
    throw new InputError({code: 'E_RUN_PLAN', message: `Run plan ${file} is not usable: ${problems[0]}.`, hint: PREPARE_AGAIN, details: {file, problems}})
  }
  return plan
}
