import {isObject} from '../json.js'
import {isBasketShaped, type RawBasket} from './basket-value.js'
import {CONTAINERS} from './containers/registry.js'
import type {ContainerProblem, FileHints, FormatId} from './containers/types.js'

export type {ContainerFormat, FileHints, FormatId, LegoText} from './containers/types.js'
export {CONTAINERS} from './containers/registry.js'

export interface ContainerRead {
  /** the one format the file was read as: `mixed` when several containers read parts of it */
  format: FormatId
  /** each container that read part of the file, in registry order */
  parts: FormatId[]
  /** each basket with the container it was read by (a `mixed` file's baskets keep their own) */
  baskets: Array<RawBasket & {container: FormatId}>
  /** baskets that could not be read, ids inferred, values no container reads: each with why */
  problems: ContainerProblem[]
}

/**
 * Reads a parsed staging file with every container of the registry (containers/): each looks at
 * what the ones before it left, so a file holding an F3 `baskets` array and top-level LEGO-id
 * baskets gives both. Null when no container recognises it: not a basket file (a swarm upload, a
 * report), which is skipped, not an error.
 */
export function readContainer(root: unknown, hints: FileHints): ContainerRead | null {
  const read: ContainerRead = {format: 'F1', parts: [], baskets: [], problems: []}
  let rest = root
  for (const container of CONTAINERS) {
    if (!container.recognise(rest, hints)) continue
    const part = container.read(rest, hints)
    read.parts.push(container.id)
    for (const basket of part.baskets) read.baskets.push({...basket, container: container.id})
    read.problems.push(...part.problems)
    if (part.keys === '$' || !isObject(rest)) {
      rest = undefined
      break
    }
    rest = without(rest, part.keys)
  }
  if (read.parts.length === 0) return null
  read.format = read.parts.length === 1 ? read.parts[0]! : 'mixed'
  if (isObject(rest)) read.problems.push(...unread(rest))
  return read
}

function without(map: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const drop = new Set(keys)
  // fromEntries defines own properties: a key such as __proto__ could never reach a prototype
  return Object.fromEntries(Object.entries(map).filter(([k]) => !drop.has(k)))
}

/**
 * Values left unread (by the containers, or in a file none of them recognised) that hold baskets one level down (a wrapper no container knows, such as
 * `{"more": {"S0004L02": {practice_phrases…}}}`): reported, so nothing basket-shaped goes unsaid.
 */
export function unread(rest: Record<string, unknown>): ContainerProblem[] {
  const problems: ContainerProblem[] = []
  for (const [key, value] of Object.entries(rest)) {
    const inner = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : []
    const baskets = inner.filter(isBasketShaped).length
    if (baskets > 0) problems.push({path: `$.${key}`, kind: 'unread', message: `holds ${baskets} basket-shaped value(s) in a container wicker does not know; not used`})
  }
  return problems
}
