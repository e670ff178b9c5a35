import {z} from 'zod'

import {sha256Schema} from './sha256.js'
/**
 * .wicker/extract.json: what `wicker extract` read from staging, kept so preview and status need not
 * read it again while staging is unchanged. A cache in the course folder: one that fails this schema
 * (or is from another version) is ignored with a warning and staging is read afresh.
 */
export const EXTRACT_FILE_VERSION = 2

/** The containers agents wrap baskets in (DOMAIN.md §3); `mixed`: a file read by more than one. */
export const FORMAT_IDS = ['F1', 'F2', 'F2b', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F17', 'mixed'] as const
export type FormatId = (typeof FORMAT_IDS)[number]

export const PROBLEM_KINDS = [
  'not-baskets',
  'invalid-json',
  'encoding',
  'empty',
  'hostile',
  'too-large',
  'symlink',
  'temp-file',
  'not-a-file',
  'bad-name',
  'being-written',
  'bad-basket',
  'bad-id',
  'inferred-id',
  'unread',
  'empty-slot',
  'bad-phrase',
  'invalid-basket',
  'swapped-fixed',
  'lego-mismatch',
  'repaired',
  'superseded',
  'staging-conflict',
] as const
export type ProblemKind = (typeof PROBLEM_KINDS)[number]

const sha256 = sha256Schema
const pair = z.object({known: z.string(), target: z.string()})
const format = z.enum(FORMAT_IDS)
const count = z.int().nonnegative()

const sourceSchema = z.object({
  file: z.string().min(1),
  sha256,
  format: z.string().max(64),
  path: z.string(),
  lego: pair.nullable().optional(),
})

const candidateSchema = z.object({
  id: z.string().min(1).max(200),
  phrases: z.array(pair),
  hash: sha256,
  sources: z.array(sourceSchema),
  repaired: z.boolean(),
  base: sha256.nullable(),
  invalid: z.string().nullable(),
})

const fileReportSchema = z.object({
  file: z.string().min(1),
  stagingDir: z.string(),
  sha256: sha256.nullable(),
  size: count,
  status: z.enum(['used', 'skipped', 'bad']),
  format: format.nullable(),
  parts: z.array(format).optional(),
  baskets: count,
  reason: z.string().nullable(),
})

const problemSchema = z.object({file: z.string(), kind: z.enum(PROBLEM_KINDS), message: z.string(), basket: z.string().optional()})

export const extractionSchema = z.object({
  course: z.string(),
  dirs: z.array(z.string()),
  fingerprint: z.string(),
  options: z.object({
    repair: z.boolean(),
    maxRepairSize: count,
    maxFileSize: count,
    maxDepth: count,
    legoPairs: z.object({file: z.string(), sha256}).optional(),
  }),
  files: z.array(fileReportSchema),
  counts: z.object({total: count, used: count, skipped: count, bad: count}),
  formats: z.partialRecord(format, count),
  candidates: z.array(candidateSchema),
  duplicates: count,
  stagingConflicts: z.array(z.object({id: z.string(), variants: z.array(z.object({hash: sha256, phrases: count, phrasesData: z.array(pair), sources: z.array(sourceSchema)}))})),
  superseded: count,
  problems: z.array(problemSchema),
})

export const extractCacheSchema = extractionSchema.extend({
  kind: z.literal('wicker/extract'),
  version: z.literal(EXTRACT_FILE_VERSION),
  createdAt: z.string(),
})
