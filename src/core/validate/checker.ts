import {ByteBasket} from '../canon/byte-basket.js'
import type {Canon, CanonBasket} from '../canon/model.js'
import type {Course, Lego} from '../course/model.js'
import {languageSense} from '../course/language-sense.js'
import {buildGateIndex, UnitIds, type GateIndex} from '../gate/index.js'
import type {PhraseIds} from '../gate/interned.js'
import type {GateDefinition} from '../schemas/config.js'
import {checkBasket} from './checks/basket.js'
import {checkEncoding} from './checks/encoding.js'
import {checkLanguage} from './checks/language.js'
import {gateTally, type GateRates, type PhrasePasses} from './gate-rates.js'
import {CHECKS, type CheckContext, type Finding, type PhraseView, type ValidateOptions} from './model.js'
import {byteViews, phraseViews} from './phrase-views.js'

/**
 * What validate does per basket, with everything it needs built once: the GATE indexes, the
 * language sense, the GATE tally of the report's definitions. validate's own loop (validate.ts) and
 * a check worker (check-worker.ts) each make one and feed it baskets; findings go to `findings`,
 * which the caller may swap between baskets (a worker's share is kept apart by chunk).
 */
export interface BasketChecker {
  ctx: CheckContext
  /** where reports go; replace it to collect a run of baskets apart */
  findings: Finding[]
  /** phrases validate read in the baskets of the course's LEGOs */
  phrases: number
  gateViolations: number
  /** the GATE tally of the report's definitions; null without them */
  rates: GateRates | null
  /** the checks of one basket of canon's container, in validate's order */
  check(basket: CanonBasket): void
}

export function basketChecker(course: Course, canon: Canon, options: ValidateOptions, rates: readonly GateDefinition[] | null): BasketChecker {
  return prepareChecker(course, options, rates)(canon)
}

/**
 * basketChecker in two steps: first everything the course alone decides (the GATE indexes, the
 * tally's, the language sense), which validate and the report build while canon's bytes are still
 * being scanned on the other core (open-course.ts, `prepare`); then the checker of one canon.
 */
export function prepareChecker(course: Course, options: ValidateOptions, rates: readonly GateDefinition[] | null): (canon: Canon) => BasketChecker {
  options.onProgress?.('building the GATE index')
  // with the report's definitions, one id per unit for every index, so a phrase's units are looked up
  // once (ctx.idsOf, after every build); validate's two indexes read the strings (the ids would cost
  // their build and the look-up per unit they save)
  const unitIds = rates ? new UnitIds() : null
  const chunks = buildGateIndex(course, {...options.gate, definition: 'strict', components: false}, unitIds)
  const checker: BasketChecker = {
    ctx: null as unknown as CheckContext,
    findings: [],
    phrases: 0,
    gateViolations: 0,
    rates: null,
    check: () => undefined,
  }
  const ctx: CheckContext = {
    course,
    // the canon of the second step: nothing reads it before a basket is checked
    canon: null as unknown as Canon,
    options,
    gate: buildGateIndex(course, options.gate, unitIds),
    chunks,
    gatePasses: unitIds ? (phrase, lego) => ctx.gate.passesIds(idsOf(phrase), phrase.targetUnits, lego) : (phrase, lego) => ctx.gate.passes(phrase.targetUnits, lego),
    chunkCover: unitIds
      ? (phrase, lego) => (phrase.chunkCover ??= chunks.countIds(idsOf(phrase), phrase.targetUnits, lego))
      : (phrase, lego) => (phrase.chunkCover ??= chunks.count(phrase.targetUnits, lego)),
    report(check, basket, phrase, message, words, coverage, side) {
      checker.findings.push({check, severity: CHECKS[check].severity, basket, phrase, message, ...(words ? {words} : {}), ...(coverage ? {coverage} : {}), ...(side ? {side} : {})})
    },
  }
  checker.ctx = ctx
  const idsOf = (phrase: PhraseView): PhraseIds => (phrase.targetIds ??= unitIds!.of(phrase.targetUnits))
  const tally = rates ? gateTally(rates, options.gate.definition, (definition) => phrasePasses(course, ctx, definition, unitIds!, idsOf)) : null
  checker.rates = tally?.rates ?? null
  const sense = languageSense(course)
  const seedIndex = new Map(course.seeds.map((s) => [s.id, s.index]))
  checker.check = (basket) => {
    // a basket read from canon's bytes with the scan's spans: its phrases are views of them, each
    // known side decoded only if a check reads it (no lone surrogate can be in such a basket)
    if (basket instanceof ByteBasket && basket.shaped) {
      const lego = course.legoById.get(basket.id)
      if (!lego) return
      const readable = byteViews(basket)
      checkViews(basket, lego, readable, readable.length, readable.at(-1) ?? null)
      return
    }
    // any other basket (parsed, or posted to a check worker): its phrases read once here, for every check
    const all = basket.phrases
    checkEncoding(ctx, basket, all)
    const lego = course.legoById.get(basket.id)
    if (!lego) return
    checkViews(basket, lego, phraseViews(basket, all), all.length, all.at(-1) ?? null)
  }
  const checkViews = (basket: CanonBasket, lego: Lego, readable: PhraseView[], count: number, last: {target: string} | null) => {
    checker.phrases += readable.length
    const item = {basket, lego, phrases: readable, count, last}
    checkBasket(ctx, item, seedIndex.get(lego.seedId) ?? 0)
    checker.gateViolations += checkLanguage(ctx, item, sense, tally?.basket(lego, readable.length))
  }
  let bound = false
  return (canon) => {
    if (bound) throw new Error('prepareChecker: one checker per preparation (its tally counts once)')
    bound = true
    ctx.canon = canon
    return checker
  }
}

/** A GATE test for gateTally: strict reads the chunk cover the shape check already made, the others their own index. */
function phrasePasses(course: Course, ctx: CheckContext, definition: GateDefinition, unitIds: UnitIds, idsOf: (phrase: PhraseView) => PhraseIds): PhrasePasses {
  // strict uses whole chunks only: components and elision, the settings that differ from ctx.chunks', do not change it
  if (definition === 'strict') return (phrase, lego) => ctx.chunkCover(phrase, lego).covered
  if (definition === 'seed') {
    // gateTally asks seed only about a phrase that failed cumulative and window (gate-rates.ts,
    // WITHIN): a few hundred of the 100k course's 764k. Its index (the largest vocabulary) is built
    // when first asked, reading strings: the shared unit ids are closed once phrases have been read.
    let index: GateIndex | null = null
    return (phrase, lego) => (index ??= buildGateIndex(course, {...ctx.options.gate, definition})).passes(phrase.targetUnits, lego)
  }
  const index = buildGateIndex(course, {...ctx.options.gate, definition}, unitIds)
  return (phrase, lego) => index.passesIds(idsOf(phrase), phrase.targetUnits, lego)
}
