import {z} from 'zod'

import {count, share} from './common.js'
import {detectCounts} from './detect.js'
import {planCounts} from './preview.js'

export const statusResult = z
  .object({
    course: z.string(),
    coverage: share,
    counts: detectCounts,
    staging: z.object({files: count, candidates: count, byClass: planCounts}),
    canon: z.object({sha256: z.string().nullable(), baskets: count, generation: count.nullable(), lineage: z.string().nullable()}),
    merges: z.array(z.object({tx: z.string(), kind: z.string(), at: z.string(), added: count, updated: count, adopted: count, target: z.string().nullable()})),
    lock: z
      .object({
        // a lock wicker cannot read is shown too: its id as far as it can be read, pid -1, '?'
        lockId: z.string(),
        pid: z.int(),
        host: z.string(),
        command: z.string(),
        startedAt: z.string(),
        bootId: z.string().optional(),
        pidNamespace: z.string().optional(),
        startTicks: count.optional(),
        stale: z.boolean(),
        problem: z.string().optional(),
      })
      .nullable()
      .describe('stale: its holder is gone; problem: why wicker will not clear it by itself'),
    interrupted: z.string().nullable(),
    abandoned: z.array(z.string()),
    runs: z.array(z.object({run: z.string(), packets: count, attempts: count, ok: count, active: z.boolean(), lastEvent: z.string().nullable()})),
    run: z
      .object({
        run: z.string(),
        shards: count.describe('the plan\'s --shards, else the count its outputs\' names carry, else 1'),
        packets: count,
        done: count,
        complete: z.boolean().describe('every packet done, each by exactly one shard'),
        perShard: z.array(z.object({shard: z.string(), packets: count, legos: count, done: count, missing: count, attempts: count.nullable(), failed: count.nullable(), active: z.boolean(), lock: z.object({lockId: z.string(), command: z.string(), pid: z.int(), host: z.string(), stale: z.boolean(), thisHost: z.boolean()}).nullable().describe('the shard\'s lock: its id is what wicker unlock --lock-id takes')})),
        missing: z.array(z.object({packet: z.string(), index: count, shard: z.string()})),
        duplicates: z.array(z.object({packet: z.string(), index: count, shards: z.array(z.string())})),
      })
      .nullable()
      .describe('--run R: that run shard by shard; null without --run'),
  })
  .meta({title: 'wicker status --json result'})
