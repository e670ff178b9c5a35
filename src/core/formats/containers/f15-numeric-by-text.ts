import {SEED_ID, seedIdsIn} from '../../ids.js'
import {isObject} from '../../json.js'
import {fold, tidy, unitKey} from '../../text/normalize.js'
import {basketFromValue, isBasketShaped} from '../basket-value.js'
import {DIGITS, innerId} from './id-map.js'
import {digitValues} from './f6-numeric-keys.js'
import type {ContainerFormat, FileHints, LegoText, PartRead} from './types.js'

/** Text compared as a learner reads it: case, spacing and punctuation aside; punctuation-only text as it is. */
const key = (text: string) => unitKey(text) || fold(tidy(text))

/** The LEGO text an object or pair `lego` gives; a pair's order is unknown, so both are tried. */
function legoTexts(lego: unknown): Array<{target: string; known: string | null}> {
  if (Array.isArray(lego) && typeof lego[0] === 'string' && typeof lego[1] === 'string') {
    return [
      {known: lego[0], target: lego[1]},
      {known: lego[1], target: lego[0]},
    ]
  }
  if (isObject(lego)) {
    const target = typeof lego.target === 'string' ? lego.target : null
    const known = typeof lego.known === 'string' ? lego.known : typeof lego.english === 'string' ? lego.english : null
    if (target !== null) return [{target, known}]
  }
  return []
}

/**
 * The one LEGO of the seed the basket's `lego` text names, or why there is none. Known text, when
 * given, must agree too; a bare string may be either side.
 */
export function matchLego(value: Record<string, unknown>, legos: readonly LegoText[]): LegoText | string {
  const lego = value.lego ?? value.lego_pair
  const shown = JSON.stringify(lego)?.slice(0, 60) ?? 'none'
  let matches: LegoText[]
  if (typeof lego === 'string') {
    const k = key(lego)
    matches = legos.filter((l) => key(l.target) === k || key(l.known) === k)
  } else {
    const texts = legoTexts(lego)
    if (texts.length === 0) return 'no LEGO id and no "lego" text to find it by'
    matches = legos.filter((l) => texts.some((t) => key(t.target) === key(l.target) && (t.known === null || key(t.known) === key(l.known))))
  }
  if (matches.length === 1) return matches[0]!
  if (matches.length === 0) return `no LEGO id, and no LEGO of the seed has the lego text ${shown}`
  return `no LEGO id, and the lego text ${shown} fits ${matches.length} LEGOs of the seed (${matches.map((l) => l.id).join(', ')}): ambiguous`
}

/** The seed a file of id-less baskets is for: from its name, else from its own `seed_id`. */
function seedOf(root: Record<string, unknown>, hints: FileHints): string | string[] {
  const named = seedIdsIn(hints.name)
  if (named.length === 1) return named[0]!
  if (named.length === 0 && typeof root.seed_id === 'string' && SEED_ID.test(root.seed_id)) return root.seed_id
  return named
}

/**
 * F15: F6 without inner ids (`{"0": {lego, practice_phrases}}` in `seed_S0320_baskets.json`). The
 * seed is in the file name; each basket is the one LEGO of that seed with the same `lego` text, and
 * every id found this way is reported, so a wrong guess can be seen.
 */
export const f15: ContainerFormat = {
  id: 'F15',
  example: 'seed_S0004_baskets.json: {"0": {"lego": {"known": "we vask", "target": "nolo"}, "practice_phrases": [["we vask", "nolo"]]}, "1": …}',
  recognise: (root) => {
    const values = digitValues(root)
    return values.length > 0 && values.every((v) => innerId(v) === null) && values.some(isBasketShaped)
  },
  read(root, hints) {
    const map = root as Record<string, unknown>
    const keys: string[] = []
    const part: PartRead = {baskets: [], problems: [], keys}
    const seed = seedOf(map, hints)
    const legos = typeof seed === 'string' ? hints.seedLegos?.(seed) : undefined
    for (const [k, value] of Object.entries(map)) {
      if (!DIGITS.test(k)) continue
      keys.push(k)
      const path = `$.${k}`
      const basket = basketFromValue(null, value, path)
      if (typeof basket === 'string') {
        part.problems.push({path, message: basket})
        continue
      }
      let why: string
      if (typeof seed !== 'string') why = `no LEGO id, and the file name names ${seed.length === 0 ? 'no seed' : `several seeds (${seed.join(', ')})`} to find it in; refused`
      else if (!hints.seedLegos) why = `no LEGO id; it can only be found from the course's LEGOs of ${seed}; refused`
      else if (!legos) why = `no LEGO id, and the file's seed ${seed} is not in lego_pairs; refused`
      else {
        const lego = matchLego(value as Record<string, unknown>, legos)
        if (typeof lego !== 'string') {
          part.baskets.push({...basket, id: lego.id})
          part.problems.push({path, kind: 'inferred-id', basket: lego.id, message: `no LEGO id; ${lego.id} inferred, the one LEGO of ${seed} with the lego text "${lego.target}"`})
          continue
        }
        why = `${lego}; refused`
      }
      part.problems.push({path, kind: 'bad-id', message: why})
    }
    return part
  },
}
