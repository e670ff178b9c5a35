/**
 * Ranges shared by a config setting and the flag that overrides it, kept apart from zod so flag
 * definitions load fast (cli/int-flags.ts) while the config schema (schemas/config.ts) uses the same.
 */
export const SETTING_LIMITS = {
  /** GATE window: seeds before the current one in reach */
  windowSeeds: {min: 0, max: 10_000},
  /** GATE window: most recent new LEGOs in reach */
  recentNewLegos: {min: 0, max: 100_000},
  /** words above which a phrase is suspect */
  maxWords: {min: 1, max: 1000},
  /** findings of the non-critical checks allowed before validate blocks */
  maxWarnings: {min: 0, max: 1_000_000_000},
} as const
