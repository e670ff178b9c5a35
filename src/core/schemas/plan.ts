import {z} from 'zod'

import {InputError} from '../errors.js'
import {phrasesHash} from '../extract/candidate.js'
import {COUNT_KEYS, planDigest, type Plan} from '../preview/plan.js'
import {formatIssues} from './config.js'

/**
 * The plan file written by `preview --out` and applied by `merge --plan`. The header is checked by
 * schema; ops are checked field by field (a plan may hold 100,000 of them); the planId must match
 * the content, exact phrase text included, so a hand-edited plan is refused. A plan is a file anyone
 * can write: merge also checks every path in it and recomputes it from staging (merge/run.ts).
 */
const header = z.object({
  kind: z.literal('wicker/plan'),
  version: z.literal(2),
  planId: z.string().regex(/^[0-9a-f]{64}$/),
  course: z.string(),
  createdAt: z.string(),
  lineage: z.string().nullable(),
  canon: z.object({sha256: z.string().nullable(), baskets: z.int()}),
  staging: z.array(z.object({file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/)})),
  extract: z.object({
    repair: z.boolean(),
    maxRepairSize: z.int().positive().max(2 ** 32),
    maxFileSize: z.int().positive().max(2 ** 32),
    maxDepth: z.int().positive().max(100_000),
    // made with --from-lego-pairs: the lego_pairs.json it read baskets from
    legoPairs: z.object({file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/)}).optional(),
  }),
  consume: z.array(z.object({file: z.string(), stagingDir: z.string()})),
  options: z.object({
    onConflict: z.enum(['fail', 'keep-canon', 'take-staging']),
    resolutions: z.record(z.string(), z.string()),
    adoptStrays: z.boolean(),
    acceptRepaired: z.boolean(),
    seedSentence: z.boolean(),
  }),
  ops: z.array(z.unknown()),
  items: z.array(z.unknown()),
  counts: z.record(z.enum(COUNT_KEYS), z.int()),
  blocked: z.int(),
  coverage: z.object({before: z.number(), after: z.number()}),
})

const isText = (v: unknown): v is string => typeof v === 'string'

export function parsePlan(value: unknown, file: string): Plan {
  const refuse = (why: string): never => {
    throw new InputError({code: 'E_PLAN_INVALID', message: `${file} is not a usable plan: ${why}.`, hint: 'Write a fresh plan with `wicker preview <course> --out <file>`.', details: {file}})
  }
  const parsed = header.safeParse(value)
  if (!parsed.success) refuse(formatIssues(parsed.error).slice(0, 5).join('; '))
  const plan = value as Plan
  plan.ops.forEach((op, i) => {
    const ok =
      typeof op === 'object' && op !== null && ['add', 'update', 'adopt'].includes(op.op) && isText(op.id) && isText(op.hash) && Array.isArray(op.phrases) && Array.isArray(op.sources) && op.phrases.every((p) => typeof p === 'object' && p !== null && isText(p.known) && isText(p.target))
    if (!ok) refuse(`ops[${i}] is malformed`)
  })
  const {planId, createdAt, ...body} = plan
  void createdAt
  for (const op of plan.ops) if (op.op !== 'adopt' && phrasesHash(op.phrases) !== op.hash) refuse(`the phrases of ${op.id} do not match their hash (the plan was edited)`)
  if (planDigest(body) !== planId) refuse('its content does not match its planId (it was edited)')
  return plan
}
