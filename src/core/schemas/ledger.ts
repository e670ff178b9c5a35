import {z} from 'zod'

import {AGENTS} from './config.js'
import {PACKET_ID} from './run-plan.js'

/**
 * Every attempt gets a class from what it did, not only from its exit code (real agent CLIs exit 0
 * after errors, and 1 after quota messages): ok, invalid-output, rate-limited, timeout, crash, auth,
 * over-context (a prompt larger than --max-context allows, never sent).
 */
export const ATTEMPT_CLASSES = ['ok', 'invalid-output', 'rate-limited', 'timeout', 'crash', 'auth', 'over-context'] as const

/** the longest message a ledger entry holds */
export const MAX_LEDGER_MESSAGE = 4096

/**
 * One line of .wicker/runs/<run>/ledger.ndjson: every attempt is a `start` line when its agent runs,
 * then an `end` line when it finished by itself (or timed out), or an `interrupted` line when launch
 * was stopped while it ran (or the next launch found it left behind by a killed one). A `start`
 * without either is an attempt a killed launch left running.
 *
 * The ledger is in the course folder, so it is untrusted: a line that does not check is reported
 * and never obeyed, and only a start line with the whole identity (pid, start time, boot, attempt
 * id) ever leads to a signal (core/proc/spawn.ts stopLeftover proves it before it signals).
 */
const short = z.string().max(200)
const at = z.string().max(64)
const pid = z.number().int().positive().max(2 ** 31 - 1)

const base = {
  packet: z.string().regex(PACKET_ID, 'must be a packet id (p + 15 hex digits)'),
  attempt: z.number().int().min(1).max(1_000_000),
  pid: pid.nullable(),
  at,
  /** unique per attempt (run:packet:attempt:random); in the agent's environment as WICKER_ATTEMPT_ID */
  attemptId: short.optional(),
  /** `launch --shard I/N`: the shard that made the attempt ("2/3"); absent for an unsharded launch */
  shard: z.string().regex(/^\d{1,6}\/\d{1,6}$/).optional(),
  /** the agent kind that ran it (builtin, claude…): what tokens and cost are summed by; absent in older ledgers */
  agent: z.enum(AGENTS).optional(),
  /** `launch --sessions orchestrator`: the session that ran the attempt, shared by the packets of its group */
  session: short.optional(),
}

export const ledgerStartSchema = z.object({
  ...base,
  event: z.literal('start'),
  /** /proc/<pid>/stat field 22 and /proc/sys/kernel/random/boot_id when launch saw them; null elsewhere */
  startTime: short.nullable().optional(),
  bootId: short.nullable().optional(),
  /**
   * `--agent anthropic-batch` / `openai-batch`: the provider batch this attempt is a request of
   * (written as soon as the batch is created, before any poll), so a launch started again polls the
   * same batch instead of paying for the request twice. Such a start has no process (pid null): it
   * is open until its result is read, and is never "left running".
   */
  batch: z.strictObject({provider: z.enum(['anthropic', 'openai']), id: short}).optional(),
})

/** What an attempt came to: written on `end` and, for an attempt stopped by a signal, on `interrupted`. */
const outcome = {
  start: at.optional(),
  end: at.optional(),
  durationMs: z.number().nonnegative().optional(),
  class: z.enum(ATTEMPT_CLASSES).optional(),
  exitCode: z.number().int().nullable().optional(),
  signal: short.nullable().optional(),
  message: z.string().max(MAX_LEDGER_MESSAGE).optional(),
  tokens: z.object({input: z.number().nonnegative(), output: z.number().nonnegative()}).nullable().optional(),
  costUsd: z.number().nonnegative().nullable().optional(),
  /** the staged output, relative to the course folder; null when none was staged */
  staged: z.string().max(4096).nullable().optional(),
  /** processes of the attempt's tree still alive after the agent exited (stopped by spawn) */
  leftovers: z.number().int().nonnegative().optional(),
}

export const ledgerEndSchema = z.object({...base, ...outcome, event: z.literal('end')})
export const ledgerInterruptedSchema = z.object({...base, ...outcome, event: z.literal('interrupted')})

export const ledgerEntrySchema = z.discriminatedUnion('event', [ledgerStartSchema, ledgerEndSchema, ledgerInterruptedSchema])

export type LedgerEntry = z.infer<typeof ledgerEntrySchema>
export type LedgerStart = z.infer<typeof ledgerStartSchema>
