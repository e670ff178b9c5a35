import type {Canon, CanonBasket} from '../canon/model.js'
import type {Course, Lego} from '../course/model.js'
import type {CoverCount} from '../gate/cover.js'
import type {GateIndex} from '../gate/index.js'
import type {PhraseIds} from '../gate/interned.js'
import type {CoveredWord} from '../gate/rules.js'
import type {CheckId} from '../schemas/check-ids.js'
import type {GateSettings, ValidateSettings} from '../schemas/config.js'
import type {Units} from '../text/normalize.js'
import type {OnProgress} from '../progress.js'

export type Severity = 'error' | 'warning'

export const CHECKS = {
  schema: {severity: 'error', description: 'canon structure: unreadable baskets and phrases, keys that are not LEGO ids'},
  'legacy-shape': {severity: 'warning', description: 'old canon shapes: array phrases, "english" keys, data wrapper, upload fields'},
  'lego-pairs': {severity: 'warning', description: 'lego_pairs.json problems: broken seeds, LEGOs without "new"'},
  coverage: {severity: 'warning', description: 'a new LEGO has no basket with a usable phrase'},
  overage: {severity: 'error', description: 'a basket for a LEGO that is new: false'},
  orphan: {severity: 'error', description: 'a basket for an id that is not a LEGO of this course'},
  stray: {severity: 'error', description: 'a basket at the canon\'s top level instead of under "baskets"'},
  'empty-basket': {severity: 'error', description: 'a basket with no usable phrase'},
  'phrase-count': {severity: 'warning', description: 'not 10 phrases, or not 2-2-2-4 by LEGOs used (first seeds may have fewer)'},
  containment: {severity: 'error', description: 'a phrase lacks the LEGO\'s target text'},
  'duplicate-phrase': {severity: 'error', description: 'the same target phrase twice in one basket'},
  'final-sentence': {severity: 'error', description: 'the final LEGO\'s last phrase is not the seed sentence'},
  'derived-fields': {severity: 'warning', description: 'is_final_lego, phrase_count or metadata.total_baskets wrong or missing'},
  'lego-text': {severity: 'warning', description: 'the basket\'s lego text differs from lego_pairs'},
  gate: {severity: 'error', description: 'a phrase uses words the learner does not have yet'},
  leakage: {severity: 'error', description: 'a phrase side in the wrong script (wrong language)'},
  swapped: {severity: 'error', description: 'known and target exchanged'},
  blank: {severity: 'error', description: 'a phrase with an empty side'},
  encoding: {severity: 'error', description: 'text that cannot be written as UTF-8 (a lone surrogate such as \\ud800)'},
  'too-long': {severity: 'warning', description: 'a phrase over the word limit'},
} as const satisfies Record<CheckId, {severity: Severity; description: string}>

export type {CheckId} from '../schemas/check-ids.js'

export interface Finding {
  check: CheckId
  severity: Severity
  /** basket id, or null for course-wide findings */
  basket: string | null
  /** phrase index within the basket, or null */
  phrase: number | null
  message: string
  /** gate: the words that were not available */
  words?: string[]
  /** gate: every word of the phrase with the rule that made it available, or null (README "Words per script and language") */
  coverage?: CoveredWord[]
  /** leakage: the side in the wrong script */
  side?: 'known' | 'target'
}

export interface ValidateOptions {
  gate: GateSettings
  validate: ValidateSettings
  /** 'building the GATE index', then 'checking baskets' counted in baskets */
  onProgress?: OnProgress
}

/** What every basket check receives. Built once per run. */
export interface CheckContext {
  course: Course
  canon: Canon
  options: ValidateOptions
  gate: GateIndex
  /** whole-chunk index used to count the LEGOs a phrase is built from */
  chunks: GateIndex
  /** `gate.passes` for a phrase of a basket of `lego` (by unit ids when several indexes share them) */
  gatePasses(phrase: PhraseView, lego: Lego): boolean
  /** a phrase's cover by `chunks`, worked out once (the shape check and the strict GATE rate both read it) */
  chunkCover(phrase: PhraseView, lego: Lego): CoverCount
  report(check: CheckId, basket: string | null, phrase: number | null, message: string, words?: string[], coverage?: CoveredWord[], side?: Finding['side']): void
}

/** A readable phrase, tidied and tokenised once for every check. */
export interface PhraseView {
  /** index in the basket */
  index: number
  /** known side as written; tidy it before showing it (read from canon's bytes on first use, for a basket read from them) */
  readonly known: string
  /** the known side holds no text (`!/\S/.test(known)`), told without reading it where it can be */
  readonly knownBlank: boolean
  target: string
  /** tokenised on first use: most checks need only the target */
  knownUnits(): Units
  targetUnits: Units
  /** comparison key of the target: units joined */
  targetKey: string
  /** CheckContext.chunkCover's memo */
  chunkCover?: CoverCount
  /** its target units' ids, when the indexes share them (checker.ts) */
  targetIds?: PhraseIds
}

export interface BasketUnderCheck {
  basket: CanonBasket
  lego: Lego
  phrases: PhraseView[]
  /** how many phrases the basket has, readable or not */
  count: number
  /** its last phrase (its target, tidied or not), null when it is unreadable */
  last: {target: string} | null
}
