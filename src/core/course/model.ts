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

export interface OrientationDecision {
  /** whether the file holds [a, b] pairs at all; labelled files need no decision */
  arrays: boolean
  order: ArrayOrder | null
  method: 'labelled' | 'option' | 'seed-pairs' | 'script' | 'lego-containment'
  evidence: string
}

export type CourseFindingKind =
  | 'broken-seed'
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
}

/** The id grammar lives in ids.ts; re-exported for the modules that import it from here. */
export {LEGO_ID, SEED_ID} from './ids.js'
