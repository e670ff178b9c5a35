import {z} from 'zod'

import {ITEM_CLASSES} from '../plan.js'
import {count, sha256Hex, share} from './common.js'


/** items per class, one key each (a class's name in camelCase) */
export const planCounts = z.object({
  new: count,
  fill: count,
  identical: count,
  update: count,
  conflict: count,
  stagingConflict: count,
  mismatch: count,
  overage: count,
  orphan: count,
  invalid: count,
  repaired: count,
  stray: count,
})

export const coverageChange = z.object({before: share, after: share})

export const previewResult = z
  .object({
    course: z.string(),
    planId: sha256Hex,
    counts: planCounts,
    coverage: coverageChange,
    ops: count.describe('baskets a merge would write'),
    blocked: count.describe('items that stop a merge until resolved'),
    items: z.array(z.object({id: z.string(), class: z.enum(ITEM_CLASSES), action: z.enum(['apply', 'skip', 'blocked']), sources: z.array(z.string()), note: z.string().nullable()})),
    diffs: z.array(z.object({id: z.string(), diff: z.string()})).describe('readable diffs of conflicts, canon (-) against staging (+)'),
    plan: z.string().nullable().describe('where --out wrote the plan, or null'),
    reusedExtract: z.boolean(),
  })
  .meta({title: 'wicker preview --json result'})
