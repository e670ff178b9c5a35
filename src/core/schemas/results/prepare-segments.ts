import {z} from 'zod'

import {count} from './common.js'

export const prepareSegmentsResult = z
  .object({
    run: z.string(),
    dir: z.string(),
    unchanged: z.boolean().describe('prepared before from the same input'),
    segments: z.array(z.object({index: count, packets: z.array(z.object({id: z.string(), seeds: z.array(z.string()), legos: count}))})),
    totals: z.object({segments: count, packets: count, seeds: count, legos: count}),
    skipped: z.array(z.object({id: z.string(), reason: z.string()})),
    shards: z
      .array(z.object({shard: count, packets: count, legos: count, indexes: z.array(count).describe('packet numbers (launch --only) of the shard')}))
      .nullable()
      .describe('--shards N: the split launch --shard I/N runs; null without it'),
  })
  .meta({title: 'wicker prepare-segments --json result'})
