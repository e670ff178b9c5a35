import {locate} from '../store/read-json.js'
import {describeProblem, FORBIDDEN_KEYS, strictProblems} from '../strict-json.js'

export {FORBIDDEN_KEYS}

/**
 * One iterative walk over a parsed staging value, before anything else touches it: keys that could
 * pollute prototypes, nesting deeper than the cap, and numbers that do not survive a round trip.
 * Iterative, so a deeply nested file cannot overflow the stack.
 */
export interface InspectLimits {
  maxDepth: number
}

export function inspectValue(value: unknown, limits: InspectLimits): string | null {
  return inspectAt(value, limits)?.message ?? null
}

/**
 * The same walk, with the JSON path of what it refuses. Almost every file has nothing to refuse: a
 * first walk that makes no paths (a string per value of a 100 MB file is most of the work) says
 * whether the second, which names the place, is needed.
 */
function inspectAt(value: unknown, limits: InspectLimits): Refusal | null {
  return anyRefused(value, limits.maxDepth) ? refusalPath(value, limits) : null
}

/** Whether inspectAt's walk would refuse anything in the value: the same tests, in any order. */
function anyRefused(value: unknown, maxDepth: number): boolean {
  const values: unknown[] = [value]
  const depths: number[] = [0]
  while (values.length > 0) {
    const v = values.pop()
    const depth = depths.pop()!
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) return true
      continue
    }
    if (typeof v !== 'object' || v === null) continue
    if (depth >= maxDepth) return true
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i]
        // strings, the most of it, need no look and no push
        if (typeof item === 'string') continue
        values.push(item)
        depths.push(depth + 1)
      }
      continue
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) return true
      const item: unknown = (v as Record<string, unknown>)[key]
      if (typeof item === 'string') continue
      values.push(item)
      depths.push(depth + 1)
    }
  }
  return false
}

function refusalPath(value: unknown, limits: InspectLimits): Refusal | null {
  const stack: Array<{v: unknown; depth: number; path: string}> = [{v: value, depth: 0, path: '$'}]
  while (stack.length > 0) {
    const {v, depth, path} = stack.pop()!
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return {path, message: `the number at ${path} is out of range (it would be written back as null)`}
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) return {path, message: `the integer at ${path} is too large to survive a round trip (over 2^53)`}
      continue
    }
    if (typeof v !== 'object' || v === null) continue
    if (depth >= limits.maxDepth) return {path, message: `nesting deeper than ${limits.maxDepth} levels at ${path}`}
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({v: v[i], depth: depth + 1, path: `${path}[${i}]`})
      continue
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) return {path, message: `the key "${key}" at ${path} is refused (it could pollute object prototypes)`}
      stack.push({v: (v as Record<string, unknown>)[key], depth: depth + 1, path: `${path}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`})
    }
  }
  return null
}

/**
 * The first key that appears twice in one object of a (valid) JSON text. JSON.parse keeps only the
 * last one, so a file with two baskets under one id would lose the first without a word: such a file
 * is refused instead. One linear pass over the text.
 */
export function duplicateKey(text: string): {key: string; offset: number} | null {
  const stack: Array<Set<string> | null> = []
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      let j = i + 1
      let escaped = false
      while (j < text.length) {
        const d = text.charCodeAt(j)
        if (d === 92 /* \ */) {
          escaped = true
          j += 2
          continue
        }
        if (d === 34) break
        j++
      }
      const top = stack.at(-1)
      if (expectKey && top) {
        const raw = text.slice(i + 1, j)
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw
        if (top.has(key)) return {key, offset: i}
        top.add(key)
        expectKey = false
      }
      i = j
    } else if (c === 123 /* { */) {
      stack.push(new Set())
      expectKey = true
    } else if (c === 91 /* [ */) {
      stack.push(null)
      expectKey = false
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop()
      expectKey = false
    } else if (c === 44 /* , */) {
      expectKey = stack.at(-1) !== null && stack.length > 0
    }
  }
  return null
}

/**
 * Why a parsed staging document must be refused, or null: the strict checks of strict-json.ts (a key
 * twice in one object, a lone surrogate, a number that does not survive a round trip, nesting over
 * the cap, prototype keys) on `json`, the text it was parsed from, then the same walk over the value.
 * extract, launch and canon refuse on exactly the same grounds.
 */
export function refusalOf(value: unknown, json: string, limits: InspectLimits): string | null {
  return refusalAt(value, json, limits)?.message ?? null
}

/** Why a document is refused, and the JSON path of the place (one upload's 422 names it). */
export interface Refusal {
  path: string
  message: string
}

export function refusalAt(value: unknown, json: string, limits: InspectLimits): Refusal | null {
  const [first] = strictProblems(json, {maxDepth: limits.maxDepth, maxProblems: 1})
  if (first) return {path: first.path, message: describeProblem(first)}
  return MAY_HOLD_UNSAFE_NUMBER.test(json) ? inspectAt(value, limits) : null
}

/**
 * Once the text check passed (it refuses the same keys and the same depth as the walk), the walk can
 * only refuse a number: one out of range or an integer of 2^53 or more. Neither can be written
 * without an exponent or 16 digits in a row (15 digits stay under 2^53), so where the text has
 * neither anywhere (strings included), the walk has nothing to find and is not made.
 */
const MAY_HOLD_UNSAFE_NUMBER = /\d{16}|\d[eE]/
