import {z} from 'zod'

import {PROBLEM_KINDS} from '../extract-cache.js'
import {count, formatId} from './common.js'

export const problemKind = z.enum(PROBLEM_KINDS)

export const extractResult = z
  .object({
    files: z.object({total: count, used: count, skipped: count, bad: count}),
    formats: z.partialRecord(formatId, count).describe('files read per container format'),
    candidates: count,
    duplicates: count,
    stagingConflicts: count,
    superseded: count,
    repaired: count,
    invalid: count,
    problems: z.array(z.object({file: z.string(), kind: problemKind, message: z.string(), basket: z.string().optional()})),
    output: z.string().describe('where the full extraction was written'),
    quarantined: count,
    quarantinedNow: count,
    fromLegoPairs: count.nullable().describe('candidates read from lego_pairs.json (--from-lego-pairs), or null'),
  })
  .meta({title: 'wicker extract --json result'})
