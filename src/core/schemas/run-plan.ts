import {z} from 'zod'

import {InputError, UsageError} from '../errors.js'
import {formatIssues} from './config.js'

/**
 * Names read from a run's files become parts of paths (packets/<id>.json, staging files named
 * <run>__<packet>__<attempt>.json, logs): they match these patterns first, so a run plan that came
 * with a cloned course cannot name `../../elsewhere`.
 */
export const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/
export const PACKET_ID = /^p[0-9a-f]{15}$/

const preparedPacket = z.object({
  index: z.int().positive(),
  id: z.string().regex(PACKET_ID, 'not a packet id (p + 15 hex digits)'),
  segment: z.int().nonnegative(),
  orchestrator: z.int().nonnegative(),
  seeds: z.array(z.string()),
  legos: z.int().nonnegative(),
})

export const runPlanSchema = z.looseObject({
  kind: z.literal('wicker/run-plan'),
  version: z.literal(1),
  run: z.string().regex(RUN_NAME, 'not a run name'),
  course: z.string(),
  createdAt: z.string(),
  packets: z.array(preparedPacket),
})

/** A run name given on the command line: letters, digits, `_`, `.`, `-`; no path. */
export function checkRunName(run: string): string {
  if (!RUN_NAME.test(run) || run.includes('..')) {
    throw new UsageError({code: 'E_RUN_NAME', message: `${JSON.stringify(run)} is not a run name.`, hint: 'A run name is up to 100 letters, digits, "_", "." or "-", starting with a letter or digit (e.g. run-2026-12-01).'})
  }
  return run
}

/** The run plan's value, once its names are checked; the caller knows its full type. */
export function parseRunPlan<T>(value: unknown, file: string, run: string): T {
  const parsed = runPlanSchema.safeParse(value)
  const problems = !parsed.success ? formatIssues(parsed.error).slice(0, 5) : parsed.data.run === run ? [] : [`run: says ${JSON.stringify(parsed.data.run)}, but it is the plan of run ${run}`]
  if (problems.length > 0) {
    throw new InputError({code: 'E_RUN_PLAN', message: `${file} is not a usable run plan: ${problems.join('; ')}.`, hint: 'Prepare the run again with `wicker prepare-segments <course> --run <name>` (a run plan is written by wicker, not by hand).', details: {file, problems}})
  }
  return value as T
}
