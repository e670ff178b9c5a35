import {z} from 'zod'

import {sha256Schema} from './sha256.js'
import {RUN_NAME} from './run-plan.js'

/** A token id: `tok_` and 12 hex digits, shown by `token list` and taken by `token revoke`. */
export const TOKEN_ID = /^tok_[0-9a-f]{12}$/

/** a time as Date.toISOString writes it (UTC): what wicker writes, and nothing else */
const time = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'not a UTC time as wicker writes it (2026-12-01T09:30:00.000Z)')

/**
 * One bearer token of `wicker serve`, as kept in .wicker/serve-tokens.json: never the token itself,
 * only its sha256, so that a copy of the course folder lets no one upload.
 */
export const serveTokenRecord = z.object({
  id: z.string().regex(TOKEN_ID),
  course: z.string().min(1).max(200).describe('the course code the token was made for'),
  run: z.string().regex(RUN_NAME, 'not a run name').nullable().describe('the run it is limited to, or null for any run'),
  sha256: sha256Schema.describe('sha256 (hex) of the token text'),
  createdAt: time,
  expiresAt: time,
  revokedAt: time.nullable(),
})

export const serveTokensFileSchema = z
  .object({
    version: z.literal(1),
    tokens: z.array(serveTokenRecord).max(100_000),
  })
  .meta({title: 'wicker .wicker/serve-tokens.json'})

export type ServeTokenRecord = z.infer<typeof serveTokenRecord>
export type ServeTokensFile = z.infer<typeof serveTokensFileSchema>
