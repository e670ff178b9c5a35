import type {RawBasket} from '../basket-value.js'

export type {FormatId} from '../../schemas/extract-cache.js'
import type {FormatId} from '../../schemas/extract-cache.js'

export interface ContainerProblem {
  path: string
  message: string
  /** bad-basket unless said: an id refused, an id inferred, or basket-shaped values no container reads */
  kind?: 'bad-id' | 'inferred-id' | 'unread'
  /** the LEGO id it is about, when one is known (an inferred id) */
  basket?: string
}

/** A LEGO of the course as a container needs it: to match a basket without an id by its text. */
export interface LegoText {
  id: string
  known: string
  target: string
}

export interface FileHints {
  /** the file's base name: the seed (F7, F15) or LEGO id (F9) can come from it */
  name: string
  /** the LEGOs of a seed in course order, or undefined when the seed is not in the course (F15) */
  seedLegos?: (seed: string) => readonly LegoText[] | undefined
}

/** What one container read out of a file. */
export interface PartRead {
  baskets: RawBasket[]
  problems: ContainerProblem[]
  /** the top-level keys it read ('$' when it read the whole root): no later container sees them */
  keys: string[] | '$'
}

/**
 * One staging format: `recognise` looks at the part of the file no earlier container has read,
 * `read` reads it. A format is one small module in this folder, listed in registry.ts.
 */
export interface ContainerFormat {
  id: Exclude<FormatId, 'mixed' | 'F13' | 'F14'>
  /** one invented example of the shape, for the README and the registry test */
  example: string
  recognise(root: unknown, hints: FileHints): boolean
  read(root: unknown, hints: FileHints): PartRead
}
