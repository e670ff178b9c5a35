import {z} from 'zod'

/** The classes a plan counts its items by. */
export const COUNT_KEYS = ['new', 'fill', 'identical', 'update', 'conflict', 'stagingConflict', 'mismatch', 'overage', 'orphan', 'invalid', 'repaired', 'stray'] as const

/**
 * The plan file written by `preview --out` and applied by `merge --plan`. The header is checked by
 * schema; ops are checked field by field (a plan may hold 100,000 of them); the planId must match
 * the content, exact phrase text included, so a hand-edited plan is refused. A plan is a file anyone
 * can write: merge also checks every path in it and recomputes it from staging (merge/run.ts).
 * parsePlan (preview/plan-file.ts) checks the rest.
 */
export const planHeaderSchema = z.object({
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
