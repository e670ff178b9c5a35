/** The one Course model every lego_pairs shape loads into (DOMAIN.md §1). */

export interface TextPair {
  known: string
  target: string
}

export interface Lego {
  id: string
  seedId: string
  /** position in course order (0-based), the order of the arrays in lego_pairs.json */
  position: number
  /** index within its seed's legos */
  indexInSeed: number
  type: string
  isNew: boolean
  known: string
  target: string
  components: TextPair[]
  /** last LEGO of its seed */
  isFinal: boolean
}

export interface Seed {
  id: string
  /** position of the seed in course order (0-based) */
  index: number
  known: string
  target: string
  legos: Lego[]
}

export type LegoPairsShape = 'LP-A' | 'LP-B' | 'LP-C' | 'LP-D' | 'LP-E'
export type ArrayOrder = 'known-target' | 'target-known'

/**
 * What decided the order of array pairs, strongest evidence first (orientation.ts): labelled text
 * in the same file, seed_pairs.json, the canon's labelled LEGO text, labelled staging baskets,
 * script; `option` when a flag or config set it (and no evidence contradicts it).
 */
export type OrientationMethod = 'labelled' | 'option' | 'same-file' | 'seed-pairs' | 'canon' | 'staging' | 'script'

export interface OrientationDecision {
  /** whether the file holds [a, b] pairs at all; labelled files need no decision */
  arrays: boolean
  order: ArrayOrder | null
  method: OrientationMethod
  /** in words: which evidence, and how strongly ("51 of 52 components …") */
  evidence: string
  /** the pairs the deciding evidence could judge, and how many of them agree with `order` */
  votes: {agree: number; of: number} | null
  /** weaker evidence consulted before the one that decided, and why it did not */
  tried: string[]
}

/** A basket payload found in a seed's `legos`: not a LEGO, but maybe the only copy of a basket. */
export interface LegoPairsBasket {
  seedId: string
  id: string | null
  /** JSON path in lego_pairs.json */
  path: string
  lego: TextPair | null
  /** the phrases as found (any phrase shape), undefined when it has none */
  phrases: unknown
}

export type CourseFindingKind =
  | 'broken-seed'
  | 'empty-seed'
  | 'bad-lego'
  | 'missing-new'
  | 'inferred-new'
  | 'duplicate-seed'
  | 'duplicate-lego'
  | 'bad-id'
  | 'seed-pairs'
  | 'course-name'

export interface CourseFinding {
  kind: CourseFindingKind
  seed?: string
  lego?: string
  /** broken-seed: how many items of the seed's `legos` are not LEGOs */
  items?: number
  message: string
}

export interface Course {
  code: string
  dir: string
  knownLanguage: string | null
  targetLanguage: string | null
  files: {legoPairs: string; seedPairs: string | null; canon: string}
  shape: LegoPairsShape
  seeds: Seed[]
  legos: Lego[]
  legoById: Map<string, Lego>
  orientation: OrientationDecision
  findings: CourseFinding[]
  /** basket payloads in seeds' `legos`, excluded from the LEGOs (extract --from-lego-pairs reads them) */
  legoPairsBaskets: LegoPairsBasket[]
}

/** The id grammar lives in ids.ts; re-exported for the modules that import it from here. */
export {LEGO_ID, SEED_ID} from '../ids.js'
