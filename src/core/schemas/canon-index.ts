import {z} from 'zod'

import {sha256Schema} from './sha256.js'
/** the canon layout version; a wicker that writes canon differently changes it */
export const CANON_FORMAT = 1

/**
 * .wicker/canon-index.json: written after each merge, it names by sha256 the canon bytes wicker
 * serialised and lists the few baskets with no usable phrase. A cache in the course folder: one that
 * fails this schema is ignored (with a warning) and canon is parsed in full.
 */
export const canonIndexSchema = z.object({
  kind: z.literal('wicker/canon-index'),
  format: z.literal(CANON_FORMAT),
  sha256: sha256Schema,
  baskets: z.int().nonnegative(),
  /** ids of baskets without a usable phrase */
  uncovered: z.array(z.string().max(200)),
})

export type CanonIndex = z.infer<typeof canonIndexSchema>
