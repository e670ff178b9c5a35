import {z} from 'zod'

import {missingLegoSchema} from '../manifest.js'
import {count, share} from './common.js'

export const detectCounts = z.object({
  legos: count,
  needed: count,
  present: count,
  missing: count,
  empty: count,
  overage: count,
  orphans: count,
  strays: count,
})

const legoPairsReport = z.object({
  shape: z.enum(['LP-A', 'LP-B', 'LP-C', 'LP-D', 'LP-E']),
  orientation: z.object({
    arrays: z.boolean(),
    order: z.enum(['known-target', 'target-known']).nullable(),
    method: z.enum(['labelled', 'option', 'same-file', 'seed-pairs', 'canon', 'staging', 'script']),
    evidence: z.string(),
    votes: z.object({agree: count, of: count}).nullable(),
  }),
  brokenSeeds: z.array(z.object({seed: z.string(), items: count, message: z.string()})),
  emptySeeds: z.array(z.string()),
  basketPayloads: count,
})

export const detectResult = z
  .object({
    course: z.string(),
    counts: detectCounts,
    coverage: share.describe('present / needed (1 when nothing is needed)'),
    missing: z.array(missingLegoSchema),
    empty: z.array(z.string()),
    overage: z.array(z.string()),
    orphans: z.array(z.string()),
    strays: z.array(z.string()),
    legoPairs: legoPairsReport,
    manifest: z.string().nullable().describe('where --out wrote the missing manifest, or null'),
  })
  .meta({title: 'wicker detect --json result'})
