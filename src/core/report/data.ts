import type {Canon} from '../canon/model.js'
import type {Course, Lego} from '../course/model.js'
import {detect, type DetectResult} from '../detect/detect.js'
import type {OpenCourseOptions} from '../open/open-course.js'
import type {OnProgress} from '../progress.js'
import type {GateSettings, ValidateSettings} from '../schemas/config.js'
import type {CheckId} from '../schemas/check-ids.js'
import {GATE_DEFINITIONS} from '../schemas/gate-definitions.js'
import type {LegoState, ReportData, ReportHistory, ReportLego, ReportSeed, ReportWorst} from '../schemas/report.js'
import {VERDICTS} from '../schemas/results/validate.js'
import {tidy} from '../text/normalize.js'
import type {GateRates} from '../validate/gate-rates.js'
import type {Finding} from '../validate/model.js'
import {openForChecks} from '../validate/run.js'
import {prepareValidateWithGateRates, type ValidateResult} from '../validate/validate.js'
import {wickerVersion} from '../version.js'
import {readHistory} from './history.js'
import {readRuns, summarizeRun, type RunLedgers} from './runs.js'

/** An error finding counts this many warnings when the worst baskets are ranked. */
export const ERROR_WEIGHT = 5
export const WORST_BASKETS = 20
/** backups read at most for coverage over time */
export const HISTORY_BACKUPS = 10

export interface ReportInputs {
  course: Course
  canon: Canon
  detect: DetectResult
  validate: ValidateResult
  /** GATE under every definition (validate/gate-rates.ts) */
  gate: GateRates
  gateSettings: Pick<GateSettings, 'windowSeeds' | 'recentNewLegos' | 'components'>
  runs: RunLedgers[]
  history: ReportHistory[]
  generatedAt: string
  wicker: string
  /** how many worst baskets (default WORST_BASKETS) */
  worst?: number
}

/** A LEGO's state by detect's lists: the report draws what detect found, it does not classify again. */
function stateOf(detected: {missing: Set<string>; empty: Set<string>; strays: Set<string>; overage: Set<string>}, lego: Lego): LegoState {
  if (!lego.isNew) return detected.overage.has(lego.id) ? 'overage' : 'recycled'
  if (!detected.missing.has(lego.id)) return 'ok'
  if (detected.empty.has(lego.id)) return 'empty'
  return detected.strays.has(lego.id) ? 'stray' : 'missing'
}

/** The report's data from what detect, validate, the GATE pass, the ledgers and the journal gave. Pure. */
export function buildReportData(inputs: ReportInputs): ReportData {
  const {course, canon, detect: detected, validate: validated, gate} = inputs
  const lists = {missing: new Set(detected.missing.map((m) => m.id)), empty: new Set(detected.empty), strays: new Set(detected.strays), overage: new Set(detected.overage)}
  const byBasket = new Map<string, Finding[]>()
  for (const f of validated.findings) {
    if (f.basket === null) continue
    const list = byBasket.get(f.basket)
    if (list) list.push(f)
    else byBasket.set(f.basket, [f])
  }

  const none = gate.definitions.map(() => 0)
  const seeds: ReportSeed[] = course.seeds.map((seed) => {
    let needed = 0
    let present = 0
    let findings = 0
    let errors = 0
    const legos: ReportLego[] = []
    for (const lego of seed.legos) {
      const state = stateOf(lists, lego)
      // a recycled LEGO (new: false, no basket) is no part of the seed's coverage: left out
      if (lego.isNew) needed++
      if (state === 'ok') present++
      const mine = byBasket.get(lego.id)
      if (state === 'recycled' && !mine) continue
      if (!mine) {
        // the text of a LEGO that needs nothing is in its seed's sentence: left out, to keep big courses small
        legos.push(state === 'ok' ? [lego.id, state] : [lego.id, state, lego.target])
        continue
      }
      const perCheck: Partial<Record<CheckId, number>> = {}
      for (const f of mine) perCheck[f.check] = (perCheck[f.check] ?? 0) + 1
      findings += mine.length
      errors += mine.filter((f) => f.severity === 'error').length
      legos.push([lego.id, state, lego.target, perCheck])
    }
    const g = gate.perSeed.get(seed.id)
    return {id: seed.id, known: seed.known, target: seed.target, legos, needed, present, share: needed === 0 ? null : present / needed, findings, errors, phrases: g?.phrases ?? 0, gateViolations: g ? [...g.violations] : [...none]}
  })

  return {
    kind: 'wicker/report-data',
    version: 1,
    course: course.code,
    generatedAt: inputs.generatedAt,
    wicker: inputs.wicker,
    detect: {counts: detected.counts, coverage: detected.coverage},
    validate: {gate: validated.gate, passed: validated.passed, verdict: validated.verdict, verdictReasons: validated.verdictReasons, counts: validated.counts},
    verdicts: [...VERDICTS],
    seeds,
    checks: validated.checks,
    worst: worstBaskets(course, canon, byBasket, inputs.worst ?? WORST_BASKETS),
    gate: {
      definition: validated.gate,
      definitions: gate.definitions,
      settings: {windowSeeds: inputs.gateSettings.windowSeeds, recentNewLegos: inputs.gateSettings.recentNewLegos, components: inputs.gateSettings.components},
      rates: gate.definitions.map((definition, i) => ({definition, phrases: gate.phrases, violations: gate.violations[i]!, rate: gate.phrases === 0 ? 0 : (gate.violations[i]! / gate.phrases) * 100})),
    },
    runs: inputs.runs.map(summarizeRun),
    history: inputs.history,
  }
}

/** The baskets of the course's LEGOs with the most findings (errors weigh ERROR_WEIGHT), each phrase with what to highlight in it. */
function worstBaskets(course: Course, canon: Canon, byBasket: ReadonlyMap<string, Finding[]>, n: number): ReportWorst[] {
  const ranked: Array<{lego: Lego; findings: Finding[]; errors: number; score: number}> = []
  for (const [id, findings] of byBasket) {
    const lego = course.legoById.get(id)
    if (!lego || !canon.baskets.has(id)) continue
    const errors = findings.filter((f) => f.severity === 'error').length
    ranked.push({lego, findings, errors, score: errors * ERROR_WEIGHT + (findings.length - errors)})
  }
  ranked.sort((a, b) => b.score - a.score || a.lego.position - b.lego.position)
  return ranked.slice(0, n).map(({lego, findings, errors, score}) => {
    const basket = canon.baskets.get(lego.id)!
    const onPhrase = new Map<number, ReportWorst['phrases'][number]['findings']>()
    for (const f of findings) {
      if (f.phrase === null) continue
      const item: ReportWorst['phrases'][number]['findings'][number] = {check: f.check, severity: f.severity, message: f.message}
      if (f.words) item.words = f.words
      if (f.check === 'containment') item.missing = lego.target
      if (f.side) item.side = f.side
      if (f.check === 'swapped') item.side = 'both'
      const list = onPhrase.get(f.phrase)
      if (list) list.push(item)
      else onPhrase.set(f.phrase, [item])
    }
    const phrases: ReportWorst['phrases'] = []
    basket.phrases.forEach((p, index) => {
      if (p) phrases.push({index, known: tidy(p.known), target: tidy(p.target), findings: onPhrase.get(index) ?? []})
    })
    return {
      basket: lego.id,
      seed: lego.seedId,
      lego: {known: lego.known, target: lego.target},
      score,
      errors,
      warnings: findings.length - errors,
      findings: findings.filter((f) => f.phrase === null).map((f) => ({check: f.check, severity: f.severity, message: f.message})),
      phrases,
    }
  })
}

export interface ReportOptions extends OpenCourseOptions {
  /** overrides from flags; the rest comes from the config, then the defaults (as validate) */
  gate?: Partial<GateSettings>
  validate?: Partial<ValidateSettings>
  worst?: number
  /** backups read at most for coverage over time (default HISTORY_BACKUPS) */
  historyBackups?: number
  onProgress?: OnProgress
  /** the time the report says it was made (tests) */
  now?: Date
}

/** Opens the course as validate does, runs detect, validate and the GATE pass, reads the ledgers and the journal. Read-only. */
export async function reportData(options: ReportOptions): Promise<{data: ReportData; warnings: string[]; validated: ValidateResult; courseDir: string}> {
  options.onProgress?.('loading the course')
  // GATE under every definition, counted in validate's own pass over the phrases; its indexes built
  // while canon is still being scanned
  const {course, canon, warnings, validateOptions, built: check} = await openForChecks(options, (course, validateOptions) => prepareValidateWithGateRates(course, validateOptions, GATE_DEFINITIONS))
  const gateSettings = validateOptions.gate
  options.onProgress?.('detecting')
  const detected = detect(course, canon)
  for (const finding of canon.findings) if (finding.kind === 'stale-metadata' || finding.kind === 'bad-basket') warnings.push(`canon: ${finding.message}`)
  const {result: validated, gate} = check(canon)
  options.onProgress?.('reading ledgers and the journal')
  const runs = await readRuns(course.dir, warnings)
  const history = await readHistory(course, canon, {present: detected.counts.present, needed: detected.counts.needed, coverage: detected.coverage}, warnings, options.historyBackups ?? HISTORY_BACKUPS)
  const data = buildReportData({course, canon, detect: detected, validate: validated, gate, gateSettings, runs, history, generatedAt: (options.now ?? new Date()).toISOString(), wicker: wickerVersion(), worst: options.worst})
  return {data, warnings, validated, courseDir: course.dir}
}
