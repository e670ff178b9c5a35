import {z} from 'zod'

import {LEGO_ID} from '../ids.js'

/**
 * The missing-LEGO manifest written by `detect --out` and read by `prepare-segments`.
 * `kind` and `version` let a reader refuse a file that is something else.
 */
export const missingLegoSchema = z.strictObject({
  id: z.string().regex(LEGO_ID),
  seed: z.string(),
  known: z.string(),
  target: z.string(),
  type: z.string(),
})

export const missingManifestSchema = z.strictObject({
  kind: z.literal('wicker/missing-manifest'),
  version: z.literal(1),
  course: z.string(),
  createdAt: z.string(),
  /** sha256 of lego_pairs.json and of the canon when the manifest was made (canon: null if absent) */
  legoPairsSha256: z.string(),
  canonSha256: z.string().nullable(),
  missing: z.array(missingLegoSchema),
})

export type MissingLego = z.infer<typeof missingLegoSchema>
export type MissingManifest = z.infer<typeof missingManifestSchema>
