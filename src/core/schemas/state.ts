import {z} from 'zod'

import {sha256Schema} from './sha256.js'
/**
 * .wicker/state.json: which canon this is (lineage), how many transactions it has seen, its hash.
 * It is in the course folder, so untrusted: its generation names backup files.
 */
export const stateSchema = z.object({
  lineage: z.string().min(1).max(128),
  generation: z.int().min(0).max(999_999),
  canonSha256: sha256Schema.nullable(),
  lastTx: z.string().max(200).nullable(),
})

export type CanonState = z.infer<typeof stateSchema>
