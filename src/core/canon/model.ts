import type {CanonLayout} from './layout.js'
import type {TextPair} from '../course/model.js'

export interface CanonPhrase extends TextPair {
  /** how it was written: labelled object, [known, target] array, or with `english` for known */
  shape: 'object' | 'array' | 'english'
}

export type BasketLocation = 'baskets' | 'data' | 'top-level'

export interface CanonBasket {
  id: string
  location: BasketLocation
  lego: TextPair | null
  /** null where a phrase could not be read (reported as a finding) */
  phrases: Array<CanonPhrase | null>
  isFinalLego: unknown
  phraseCount: unknown
  /** the basket exactly as it is in the file: written back untouched when a merge does not change it */
  raw: unknown
  /** whether some phrase is usable, when known without reading the phrases (a ByteBasket, usable-scan.ts) */
  usable?: boolean
}

export type CanonFindingKind = 'legacy-shape' | 'pollution' | 'english-key' | 'stale-metadata' | 'bad-basket' | 'bad-phrase' | 'non-lego-key'

export interface CanonFinding {
  kind: CanonFindingKind
  basket?: string
  phrase?: number
  message: string
}

export interface Canon {
  file: string
  exists: boolean
  /** sha256 of the file's bytes; null when there is no file */
  sha256: string | null
  /** where the baskets were found */
  container: 'baskets' | 'data' | 'none'
  /** baskets under `baskets` (or a legacy `data` wrapper), by id, in file order */
  baskets: ReadonlyMap<string, CanonBasket>
  /** baskets written at the top level, beside `baskets` */
  strays: Map<string, CanonBasket>
  metadata: Record<string, unknown> | null
  /** top-level fields other than baskets and strays, as found */
  topLevel: Record<string, unknown>
  /** key path of the basket container: ['baskets'], ['data'] or ['data', 'baskets'] */
  containerPath: string[]
  /** what was found irregular; when read by layout (`layout` set), only what lies outside the baskets */
  findings: CanonFinding[]
  /** the byte layout, when these are bytes wicker wrote (see layout.ts); baskets are then read on demand */
  layout?: CanonLayout
}

/** A phrase is usable when both sides hold text. */
export function isUsable<P extends TextPair>(phrase: P | null): phrase is P {
  return phrase !== null && phrase.known.trim() !== '' && phrase.target.trim() !== ''
}

/** Whether a basket has a usable phrase (read from `usable` when the basket knows it). */
export function hasUsable(basket: CanonBasket): boolean {
  return basket.usable ?? basket.phrases.some(isUsable)
}
