import {z} from 'zod'

import {UsageError} from '../errors.js'
import {ELISION_KEY} from '../text/elision.js'
import {CHECK_IDS} from './check-ids.js'
import {GATE_DEFINITIONS} from './gate-definitions.js'
import {formatIssues} from './issues.js'
import {SETTING_LIMITS} from './limits.js'

export {GATE_DEFINITIONS, type GateDefinition} from './gate-definitions.js'
export {formatIssues} from './issues.js'

export const gateSettingsSchema = z.strictObject({
  definition: z.enum(GATE_DEFINITIONS).default('cumulative'),
  /** window: how many seeds before the current one are in reach */
  windowSeeds: z.int().min(SETTING_LIMITS.windowSeeds.min).max(SETTING_LIMITS.windowSeeds.max).default(10),
  /** window: how many of the most recent new LEGOs are in reach as well (0: none) */
  recentNewLegos: z.int().min(SETTING_LIMITS.recentNewLegos.min).max(SETTING_LIMITS.recentNewLegos.max).default(30),
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
  maxWords: z.int().min(SETTING_LIMITS.maxWords.min).max(SETTING_LIMITS.maxWords.max).default(15),
  /** warnings fail too: the same as maxWarnings 0, and it wins over maxWarnings */
  strict: z.boolean().default(false),
  /** checks whose every finding blocks (verdict BLOCK) [default: every error check but gate, which has maxGateViolations] */
  critical: z.array(z.enum(CHECK_IDS)).max(CHECK_IDS.length).optional(),
  /** findings of the checks that are not critical (gate aside) allowed before BLOCK [default: no limit] */
  maxWarnings: z.int().min(SETTING_LIMITS.maxWarnings.min).max(SETTING_LIMITS.maxWarnings.max).optional(),
})
export type ValidateSettings = z.infer<typeof validateSettingsSchema>

/** The agents launch can run (launch/agents.ts says how each one is started). */
export const AGENTS = ['builtin', 'claude', 'codex', 'gemini', 'command', 'openai-compatible', 'anthropic-batch', 'openai-batch'] as const

/** What an agent's model costs, for launch's estimate before it starts (prices per million tokens). */
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

/** The flag that sets a settings key: windowSeeds → --window-seeds. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

/** The [min, max] a number field accepts, looking through .default()/.optional() wrappers. */
export function rangeOf(schema: z.ZodType | undefined): {min: number | null; max: number | null} | null {
  let inner = schema as {_zod?: {def: {innerType?: z.ZodType}}; minValue?: number | null; maxValue?: number | null} | undefined
  while (inner?._zod?.def.innerType) inner = inner._zod.def.innerType as typeof inner
  if (!inner || !(inner instanceof z.ZodNumber)) return null
  const finite = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? null : n)
  return {min: finite(inner.minValue), max: finite(inner.maxValue)}
}

/**
 * Settings made from the config's `section` and flags (flags win), checked by `schema`. A bad value
 * is a usage error (exit 2), never a raw ZodError (exit 10): each problem names the flag when a flag
 * set it, else the config key, with the value given and the range allowed.
 */
export function parseSettings<S extends z.ZodObject>(schema: S, layers: {config?: Record<string, unknown>; flags?: Record<string, unknown>; section: string; file?: string | null}): z.infer<S> {
  const flags = Object.fromEntries(Object.entries(layers.flags ?? {}).filter(([, v]) => v !== undefined))
  const result = schema.safeParse({...layers.config, ...flags})
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '')
    const fromFlag = key in flags
    const where = fromFlag ? flagOf(key) : `${layers.section}.${issue.path.map(String).join('.')} in ${layers.file ?? 'the config'}`
    const value = fromFlag ? flags[key] : layers.config?.[key]
    const range = rangeOf((schema.shape as Record<string, z.ZodType>)[key])
    const allowed = range && (range.min !== null || range.max !== null) ? ` (allowed: ${range.min ?? 'any'} to ${range.max ?? 'any'})` : ''
    return {where, value, text: `${where} ${JSON.stringify(value)}: ${issue.message}${allowed}`, flag: fromFlag ? flagOf(key) : null, key: `${layers.section}.${key}`, range}
  })
  const first = problems[0]!
  throw new UsageError({
    code: 'E_SETTINGS',
    message: problems.map((p) => p.text).join('; '),
    hint: first.flag ? `Give ${first.flag} a value in the allowed range (or leave it out for the default).` : `Correct ${first.key} in ${layers.file ?? 'wicker.config.json'}.`,
    details: {problems: problems.map(({where, value, range}) => ({where, value, range}))},
  })
}

/** The gate and validate settings of a command that checks baskets (validate, the report): its flags over the config over the defaults. */
export function checkSettings(config: WickerConfig, configFile: string | null, flags: {gate?: Partial<GateSettings>; validate?: Partial<ValidateSettings>}): {gate: GateSettings; validate: ValidateSettings} {
  return {
    gate: parseSettings(gateSettingsSchema, {config: config.gate, flags: flags.gate, section: 'gate', file: configFile}),
    validate: parseSettings(validateSettingsSchema, {config: config.validate, flags: flags.validate, section: 'validate', file: configFile}),
  }
}
