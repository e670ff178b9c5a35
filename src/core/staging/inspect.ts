/**
 * One iterative walk over a parsed staging value, before anything else touches it: keys that could
 * pollute prototypes, nesting deeper than the cap, and numbers that do not survive a round trip.
 * Iterative, so a deeply nested file cannot overflow the stack.
 */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

export interface InspectLimits {
  maxDepth: number
}

export function inspectValue(value: unknown, limits: InspectLimits): string | null {
  const stack: Array<{v: unknown; depth: number; path: string}> = [{v: value, depth: 0, path: '$'}]
  while (stack.length > 0) {
    const {v, depth, path} = stack.pop()!
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `the number at ${path} is out of range (it would be written back as null)`
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) return `the integer at ${path} is too large to survive a round trip (over 2^53)`
      continue
    }
    if (typeof v !== 'object' || v === null) continue
    if (depth >= limits.maxDepth) return `nesting deeper than ${limits.maxDepth} levels at ${path}`
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({v: v[i], depth: depth + 1, path: `${path}[${i}]`})
      continue
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) return `the key "${key}" at ${path} is refused (it could pollute object prototypes)`
      stack.push({v: (v as Record<string, unknown>)[key], depth: depth + 1, path: `${path}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`})
    }
  }
  return null
}
