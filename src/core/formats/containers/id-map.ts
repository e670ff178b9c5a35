import {LEGO_ID, looksLikeLegoId} from '../../ids.js'
import {isObject} from '../../json.js'
import {basketFromValue, isBasketShaped, type RawBasket} from '../basket-value.js'
import type {ContainerProblem} from './types.js'

export interface IdMapOptions {
  /** the map's own keys (default: LEGO ids and near-misses, which are then refused with a reason) */
  isKey?: (key: string) => boolean
  /**
   * Whether a basket-shaped value under another key is read too (its id then refused, never
   * dropped): yes inside a wrapper (`baskets`, `legos`), no at the root, where the keys belong to
   * later containers and the last one (F1) reads what is left.
   */
  strangers?: boolean
}

/**
 * Reads a map of baskets (LEGO id → basket, or digit/short keys), the one reader every keyed
 * container shares. Keys that are neither the map's keys nor basket-shaped are metadata (`agent`,
 * `seed_pair`, `cumulative_patterns: ["P01"]`) and left alone.
 */
export function readIdMap(
  map: Record<string, unknown>,
  path: string,
  idOf: (key: string, value: unknown) => string | null,
  options: IdMapOptions = {},
): {baskets: RawBasket[]; problems: ContainerProblem[]; keys: string[]} {
  const isKey = options.isKey ?? isIdKey
  const strangers = options.strangers ?? true
  const baskets: RawBasket[] = []
  const problems: ContainerProblem[] = []
  const keys: string[] = []
  for (const [key, value] of Object.entries(map)) {
    if (!isKey(key) && !(strangers && isBasketShaped(value))) continue
    keys.push(key)
    const at = `${path}.${key}`
    const basket = basketFromValue(idOf(key, value), value, at)
    if (typeof basket === 'string') problems.push({path: at, message: basket})
    else baskets.push(basket)
  }
  return {baskets, problems, keys}
}

/** The id a basket carries inside itself, under any of the names agents use. */
export function innerId(value: unknown): string | null {
  if (!isObject(value)) return null
  const id = value.lego_id ?? value.legoId ?? value.id ?? value.basket_id
  return typeof id === 'string' ? id : null
}

export const DIGITS = /^\d+$/

/** A LEGO id or a near-miss of one (refused later with its reason); the exact grammar first, as it is far cheaper. */
export const isIdKey = (key: string): boolean => LEGO_ID.test(key) || looksLikeLegoId(key)

/** The object under a key of the root (a wrapper such as `baskets` or `legos`), or null. */
export const objectAt = (root: unknown, key: string): Record<string, unknown> | null => (isObject(root) && isObject(root[key]) ? root[key] : null)

/**
 * Whether some value under a LEGO-id key of the root passes `test` (with `all`: every one, and at
 * least one exists). One pass, stopping as soon as the answer is known.
 */
export function idValuesPass(root: unknown, test: (v: unknown) => boolean, all = false): boolean {
  if (!isObject(root)) return false
  let any = false
  for (const key of Object.keys(root)) {
    if (!isIdKey(key)) continue
    const pass = test(root[key])
    if (pass && !all) return true
    if (!pass && all) return false
    any = true
  }
  return all && any
}

/** Reads the root as LEGO id → basket (F1, F11, F12), basket-shaped values under other keys included. */
export const readRootIds = (root: unknown) => readIdMap(root as Record<string, unknown>, '$', (key) => key)
