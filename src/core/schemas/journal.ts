import {z} from 'zod'

import {sha256Schema} from './sha256.js'
/**
 * One line of .wicker/journal.ndjson (store/journal.ts): every transaction on canon is a `begin`
 * record, then `commit` or `abort`, and `done` once its staging files are moved; `abandon` when the
 * user gave up an interrupted one. The journal lives in the course folder, so it is untrusted: every
 * line is checked against these schemas, and a line that does not check is refused, never obeyed.
 */
/** The ids newTxId makes; only such an id ever becomes part of a file name. */
export const TX_ID = /^(merge|restore)-\d{8}T\d{6}Z-[0-9a-f]{6}$/
const txId = z.string().regex(TX_ID)
const sha = sha256Schema
const at = z.string().max(64)
const relPath = z.string().min(1).max(4096)

/**
 * A staging file to move: [from, to, sha256 of its bytes], relative to the course folder. Records
 * written before the hash was recorded have [from, to]; recovery does not move those (see recover.ts).
 */
const move = z.union([z.tuple([relPath, relPath, sha]), z.tuple([relPath, relPath])])
export type Move = z.infer<typeof move>

export const beginSchema = z.object({
  type: z.literal('begin'),
  tx: txId,
  kind: z.enum(['merge', 'restore']),
  at,
  /** plan applied (merge) */
  planId: z.string().max(128).nullable(),
  /** transaction undone (restore) */
  target: txId.nullable(),
  /** sha256 of canon before and after; null = no canon file */
  before: sha.nullable(),
  after: sha.nullable(),
  /** copy of canon before the write, relative to the course folder */
  backup: relPath.nullable(),
  moves: z.array(move),
  counts: z.object({added: z.int().min(0), updated: z.int().min(0), adopted: z.int().min(0)}),
})
export type BeginRecord = z.infer<typeof beginSchema>

export const journalRecordSchema = z.discriminatedUnion('type', [
  beginSchema,
  z.object({type: z.literal('commit'), tx: txId, at, recovered: z.boolean().optional()}),
  z.object({type: z.literal('abort'), tx: txId, at, reason: z.string().max(4096)}),
  z.object({type: z.literal('done'), tx: txId, at}),
  // The abandoned id is compared, never used in a path: it may name a line that did not check.
  z.object({type: z.literal('abandon'), tx: z.string().max(200), at, recordLine: z.int().min(1), canon: sha.nullable(), backup: relPath.nullable()}),
])
export type JournalRecord = z.infer<typeof journalRecordSchema>

