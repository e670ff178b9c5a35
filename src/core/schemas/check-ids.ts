/**
 * The ids of validate's checks (src/core/validate/model.ts describes each). Kept apart from zod and
 * from the checks so the config schema and the flag definitions can name them without loading either.
 */
export const CHECK_IDS = [
  'schema',
  'legacy-shape',
  'lego-pairs',
  'coverage',
  'overage',
  'orphan',
  'stray',
  'empty-basket',
  'phrase-count',
  'containment',
  'duplicate-phrase',
  'final-sentence',
  'derived-fields',
  'lego-text',
  'gate',
  'leakage',
  'swapped',
  'blank',
  'encoding',
  'too-long',
] as const
export type CheckId = (typeof CHECK_IDS)[number]
