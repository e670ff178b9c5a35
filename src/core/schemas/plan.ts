import {z} from 'zod'

import {sha256Schema} from './sha256.js'
/** The classes of a plan's items, and the keys it counts them by. */
export const ITEM_CLASSES = ['new', 'fill', 'identical', 'update', 'conflict', 'staging-conflict', 'mismatch', 'overage', 'orphan', 'invalid', 'repaired', 'stray'] as const
export const COUNT_KEYS = ['new', 'fill', 'identical', 'update', 'conflict', 'stagingConflict', 'mismatch', 'overage', 'orphan', 'invalid', 'repaired', 'stray'] as const

/**
 * The plan file written by `preview --out` and applied by `merge --plan`, checked whole by schema
 * (a plan of a few thousand ops checks in milliseconds). Since version 3 an op names its phrases
 * (its staging files, pinned by hash, and its id) instead of carrying them: `phrases` is the hash
 * of their exact text. The planId must match the content, so a hand-edited plan is refused
 * (parsePlan, preview/plan-file.ts). A plan is a file anyone can write: merge also checks every path
 * in it and recomputes it from staging, and applies only a plan with this very id (merge/run.ts).
 */
const sha256 = sha256Schema

const opSchema = z.object({
  op: z.enum(['add', 'update', 'adopt']),
  id: z.string().min(1).max(200),
  // the phrases are not in the file: sources (pinned by hash in `staging`) and id name them, and `phrases` pins their exact text
  hash: sha256,
  replaces: sha256.nullable(),
  sources: z.array(z.string()),
})

const itemSchema = z.object({
  id: z.string(),
  class: z.enum(ITEM_CLASSES),
  action: z.enum(['apply', 'skip', 'blocked']),
  sources: z.array(z.string()),
  note: z.string().nullable(),
})

export const planSchema = z.object({
  kind: z.literal('wicker/plan'),
  version: z.literal(3),
  planId: sha256,
  course: z.string(),
  createdAt: z.string(),
  lineage: z.string().nullable(),
  canon: z.object({sha256: sha256.nullable(), baskets: z.int().nonnegative()}),
  staging: z.array(z.object({file: z.string().min(1), sha256})),
  extract: z.object({
    repair: z.boolean(),
    maxRepairSize: z.int().positive().max(2 ** 32),
    maxFileSize: z.int().positive().max(2 ** 32),
    maxDepth: z.int().positive().max(100_000),
    // made with --from-lego-pairs: the lego_pairs.json it read baskets from
    legoPairs: z.object({file: z.string(), sha256}).optional(),
  }),
  consume: z.array(z.object({file: z.string().min(1), stagingDir: z.string()})),
  options: z.object({
    onConflict: z.enum(['fail', 'keep-canon', 'take-staging']),
    resolutions: z.record(z.string(), z.string()),
    adoptStrays: z.boolean(),
    acceptRepaired: z.boolean(),
    seedSentence: z.boolean(),
  }),
  phrases: sha256,
  ops: z.array(opSchema),
  items: z.array(itemSchema),
  counts: z.record(z.enum(COUNT_KEYS), z.int().nonnegative()),
  blocked: z.int().nonnegative(),
  coverage: z.object({before: z.number(), after: z.number()}),
})
