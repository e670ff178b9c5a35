import {z} from 'zod'

import {ELISION_KEY} from '../text/elision.js'
import {CHECK_IDS} from './check-ids.js'
import {GATE_DEFINITIONS} from './gate-definitions.js'
import {formatIssues} from './issues.js'

export {GATE_DEFINITIONS, type GateDefinition} from './gate-definitions.js'
export {formatIssues} from './issues.js'

export const gateSettingsSchema = z.strictObject({
  definition: z.enum(GATE_DEFINITIONS).default('cumulative'),
  /** window: how many seeds before the current one are in reach */
  windowSeeds: z.int().min(0).max(10_000).default(10),
  /** window: how many of the most recent new LEGOs are in reach as well (0: none) */
  recentNewLegos: z.int().min(0).max(100_000).default(30),
  /** count a LEGO's components' targets (and their words) as vocabulary (not under strict) */
  components: z.boolean().default(true),
  /**
   * elision and contraction rules added to the built-in tables, by language code:
   * {"fra": {"jusqu'-": ["jusque"]}, "eng": {"-'s": ["is"], "y'all": ["you all"]}} (README "Words per script and language")
   */
  elision: z
    .record(
      z.string().regex(/^[a-z]{2,3}$/),
      z.record(z.string().regex(ELISION_KEY), z.array(z.string().min(1)).min(1), {
        error: (issue) => (issue.code === 'invalid_key' ? "a key is a clitic before a word (l'-), after one (-'s), or a whole word with an apostrophe (can't)" : undefined),
      }),
      {error: (issue) => (issue.code === 'invalid_key' ? 'a key is a language code of 2 or 3 lower-case letters (fra, it)' : undefined)},
    )
    .default({}),
})
export type GateSettings = z.infer<typeof gateSettingsSchema>

export const validateSettingsSchema = z.strictObject({
  /** percentage of phrases allowed to break GATE before validate fails */
  maxGateViolations: z.number().min(0).max(100).default(0),
  /** phrases per basket */
  phrasesPerBasket: z.int().min(1).max(100).default(10),
  /** the first N seeds may have fewer phrases */
  earlySeeds: z.int().min(0).default(10),
  /** words above which a phrase is suspect */
  maxWords: z.int().min(1).default(15),
  /** warnings fail too: the same as maxWarnings 0, and it wins over maxWarnings */
  strict: z.boolean().default(false),
  /** checks whose every finding blocks (verdict BLOCK) [default: every error check but gate, which has maxGateViolations] */
  critical: z.array(z.enum(CHECK_IDS)).max(CHECK_IDS.length).optional(),
  /** findings of the checks that are not critical (gate aside) allowed before BLOCK [default: no limit] */
  maxWarnings: z.int().min(0).max(1_000_000_000).optional(),
})
export type ValidateSettings = z.infer<typeof validateSettingsSchema>

/** What an agent's model costs, for launch's estimate before it starts (prices per million tokens). */
/** The agents launch can run (launch/agents.ts says how each one is started). */
export const AGENTS = ['builtin', 'claude', 'codex', 'gemini', 'command'] as const

export const agentPriceSchema = z.strictObject({
  inputUsdPerMTok: z.number().min(0).max(10_000),
  outputUsdPerMTok: z.number().min(0).max(10_000),
  /** tokens the agent writes per LEGO (a basket of phrases and the JSON around it) */
  outputTokensPerLego: z.number().min(0).max(1_000_000).optional(),
})
export type AgentPrice = z.infer<typeof agentPriceSchema>

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  /** folder that holds course folders by code */
  coursesDir: z.string().min(1).optional(),
  /** order of [a, b] pairs in lego_pairs.json when it cannot be told from the data */
  orientation: z.enum(['known-target', 'target-known']).optional(),
  gate: gateSettingsSchema.partial().optional(),
  validate: validateSettingsSchema.partial().optional(),
  /** prices per agent kind (claude, codex, gemini, command…): launch's estimate shows the expected cost */
  agents: z.partialRecord(z.enum(AGENTS), agentPriceSchema).optional(),
})
export type WickerConfig = z.infer<typeof configSchema>

/** Parses settings made from flags and config; a bad value is a usage error naming the field. */
export function parseSettings<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  throw new SettingsError(`${where}: ${formatIssues(result.error).join('; ')}`)
}

export class SettingsError extends Error {}
