import {buildGateIndex} from '../../src/core/gate/index.js'
import type {Course, Lego, LegoPairsShape, Seed, TextPair} from '../../src/core/course/model.js'
import type {DetectResult} from '../../src/core/detect/detect.js'
import {buildBasket} from '../../src/core/generate/basket-builder.js'
import {Random} from '../../src/core/generate/random.js'
import {units} from '../../src/core/text/normalize.js'
import {Lexicon, type TargetScript} from './lexicon.js'

/**
 * The synthetic course generator shared by tests and benchmarks: an invented bilingual course of
 * any size, deterministic from `seed`, in any lego_pairs shape, with a canon whose dirt is chosen
 * and counted. `expected` holds what detect and validate must find.
 */
export interface SynthOptions {
  seed?: number
  /** number of seeds, or… */
  seeds?: number
  /** …about this many LEGOs (seeds are derived) */
  legos?: number
  shape?: LegoPairsShape
  /** order of array pairs in LP-C/D/E */
  order?: 'known-target' | 'target-known'
  script?: TargetScript
  /** write seed_pairs.json (labelled): lets wicker resolve array orientation */
  seedPairs?: boolean
  /** course folder name; `<target>_for_<known>` */
  code?: string
  canon?: Partial<CanonDirt>
}

export interface CanonDirt {
  /** share of new LEGOs (0..1) with a clean basket */
  fill: number
  /** baskets with no phrase, for new LEGOs that otherwise have none */
  empty: number
  /** baskets for new: false LEGOs */
  overage: number
  /** baskets for ids that are not in the course */
  orphans: number
  /** baskets at the top level, for new LEGOs that have none under "baskets" */
  strays: number
  /** upload fields spread into the top level */
  pollution: number
  /** phrases (in filled baskets) given one word no definition allows */
  gateViolations: number
  /** …or that share (0..1) of the filled baskets' phrases; the count wins when both are set */
  gateViolationRate: number
  /** phrases whose known side is written in the target's script (Han courses only) */
  leakage: number
  /** phrases with known and target exchanged */
  swapped: number
  /** write a stale metadata.total_baskets */
  staleMetadata: boolean
}

export interface SynthCourse {
  code: string
  course: Course
  files: Record<string, unknown>
  canon: Record<string, unknown>
  /** what detect must count, and the dirt validate must find */
  expected: DetectResult['counts'] & {
    pollution: number
    phrases: number
    gateViolations: number
    leakage: number
    swapped: number
  }
}

const DEFAULT_DIRT: CanonDirt = {fill: 0.8, empty: 0, overage: 0, orphans: 0, strays: 0, pollution: 0, gateViolations: 0, gateViolationRate: 0, leakage: 0, swapped: 0, staleMetadata: false}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

function makeCourse(random: Random, lexicon: Lexicon, seedCount: number, legosPerSeed: [number, number], code: string): Course {
  const seeds: Seed[] = []
  const legos: Lego[] = []
  const pool: TextPair[] = []
  const join = (parts: TextPair[]) => ({known: parts.map((p) => p.known).join(' '), target: parts.map((p) => p.target).join(lexicon.targetJoiner)})
  for (let s = 0; s < seedCount; s++) {
    const seed: Seed = {id: `S${pad(s + 1, 4)}`, index: s, known: '', target: '', legos: []}
    const n = random.int(...legosPerSeed)
    let number = 0
    const used = new Set<string>()
    for (let i = 0; i < n; i++) {
      number += random.chance(0.2) ? 2 : 1 // numbering has gaps
      let text: TextPair
      let isNew = true
      let components: TextPair[] = []
      let type = 'A'
      if (pool.length > 20 && random.chance(0.15)) {
        text = random.pick(pool)
        isNew = false
      } else {
        const words = Array.from({length: random.chance(0.35) ? random.int(2, 3) : 1}, () => ({known: lexicon.knownWord(), target: lexicon.targetWord()}))
        text = join(words)
        if (words.length > 1) {
          type = 'M'
          components = words
        }
      }
      if (used.has(text.target)) continue
      used.add(text.target)
      if (isNew) pool.push(text)
      const lego: Lego = {id: `${seed.id}L${pad(number, 2)}`, seedId: seed.id, position: legos.length, indexInSeed: seed.legos.length, type, isNew, known: text.known, target: text.target, components, isFinal: false}
      seed.legos.push(lego)
      legos.push(lego)
    }
    seed.legos.at(-1)!.isFinal = true
    const sentence = join(seed.legos)
    seed.known = sentence.known
    seed.target = sentence.target
    seeds.push(seed)
  }
  const parsed = /^([a-z]+)_for_([a-z]+)$/.exec(code)
  return {
    code,
    dir: '',
    knownLanguage: parsed?.[2] ?? null,
    targetLanguage: parsed?.[1] ?? null,
    files: {legoPairs: '', seedPairs: null, canon: ''},
    shape: 'LP-A',
    seeds,
    legos,
    legoById: new Map(legos.map((l) => [l.id, l])),
    orientation: {arrays: false, order: null, method: 'labelled', evidence: '', votes: null, tried: []},
    findings: [],
    legoPairsBaskets: [],
  }
}

function arrayPair(p: TextPair, order: 'known-target' | 'target-known'): [string, string] {
  return order === 'known-target' ? [p.known, p.target] : [p.target, p.known]
}

/** lego_pairs.json in the chosen shape. */
export function serializeLegoPairs(course: Course, shape: LegoPairsShape, order: 'known-target' | 'target-known'): unknown {
  const components = (l: Lego) => (l.components.length > 0 ? {components: l.components.map((c) => arrayPair(c, order))} : {})
  switch (shape) {
    case 'LP-A':
      return {
        course: course.code,
        version: 'synthetic',
        upchunked_mtypes: [],
        seeds: course.seeds.map((s) => ({
          seed_id: s.id,
          seed_pair: {known: s.known, target: s.target},
          legos: s.legos.map((l) => ({id: l.id, type: l.type, new: l.isNew, lego: {known: l.known, target: l.target}, ...(l.components.length > 0 ? {components: l.components.map((c) => ({known: c.known, target: c.target}))} : {})})),
        })),
      }
    case 'LP-B':
      return {
        course: course.code,
        metadata: {generator: 'wicker bench/synth'},
        seeds: course.seeds.map((s) => ({
          seed_id: s.id,
          seed_pair: arrayPair(s, order),
          legos: s.legos.map((l) => ({id: l.id, type: l.type, new: l.isNew, known: l.known, target: l.target, ...components(l)})),
        })),
      }
    case 'LP-C':
    case 'LP-D': {
      const seeds = course.seeds.map((s) => [s.id, arrayPair(s, order), s.legos.map((l) => [l.id, l.type, ...arrayPair(l, order), ...(l.components.length > 0 ? [l.components.map((c) => arrayPair(c, order))] : []), l.isNew])])
      return shape === 'LP-C' ? {seeds, phase4: {note: 'ignored'}} : seeds
    }
    case 'LP-E':
      return Object.fromEntries(
        course.seeds.map((s) => [s.id, {seed_pair: arrayPair(s, order), lego_pairs: s.legos.map((l) => ({lego_id: l.id, lego_pair: arrayPair(l, order), type: l.type, new: l.isNew}))}]),
      )
  }
}

/** A clean basket as wicker writes it. */
export function cleanBasket(lego: Lego, phrases: TextPair[]): Record<string, unknown> {
  return {lego: {known: lego.known, target: lego.target}, practice_phrases: phrases.map((p) => ({known: p.known, target: p.target})), is_final_lego: lego.isFinal, phrase_count: phrases.length}
}

/** Window-safe chunks for a LEGO: the LEGOs of the 10 seeds before it and its own seed's earlier LEGOs. */
export function windowChunks(course: Course, lego: Lego): TextPair[] {
  const seed = course.seeds[Number(lego.seedId.slice(1)) - 1]!
  const from = Math.max(0, seed.index - 10)
  const out: TextPair[] = []
  for (let i = from; i < seed.index; i++) out.push(...course.seeds[i]!.legos)
  out.push(...seed.legos.slice(0, lego.indexInSeed))
  return out.filter((c) => c.target !== lego.target)
}

export function generateCourse(options: SynthOptions = {}): SynthCourse {
  const random = new Random(options.seed ?? 1)
  const script = options.script ?? 'latin'
  const lexicon = new Lexicon(random, script)
  const code = options.code ?? (script === 'han' ? 'cmn_for_qkn' : 'qtl_for_qkn')
  const big = (options.legos ?? 0) > 30_000
  const perSeed: [number, number] = big ? [9, 12] : [3, 6]
  const seedCount = Math.min(9999, options.seeds ?? Math.max(1, Math.round((options.legos ?? 100) / ((perSeed[0] + perSeed[1]) / 2))))
  const course = makeCourse(random, lexicon, seedCount, perSeed, code)
  const dirt = {...DEFAULT_DIRT, ...options.canon}
  const shape = options.shape ?? 'LP-A'
  const order = options.order ?? 'target-known'

  const strict = buildGateIndex(course, {definition: 'strict', windowSeeds: 10, recentNewLegos: 30, components: false})
  const baskets: Record<string, unknown> = {}
  const phraseLists: Array<{id: string; phrases: TextPair[]; lego: Lego}> = []
  const newLegos = course.legos.filter((l) => l.isNew)
  const unfilled: Lego[] = []
  for (const lego of newLegos) {
    if (!random.chance(dirt.fill)) {
      unfilled.push(lego)
      continue
    }
    // generated seed ids are S0001… in order, so the number is the index
    const seed = course.seeds[Number(lego.seedId.slice(1)) - 1]!
    const phrases = buildBasket(
      {
        lego,
        chunks: windowChunks(course, lego),
        seedSentence: lego.isFinal ? seed : null,
        size: 10,
        joiner: {known: ' ', target: lexicon.targetJoiner},
        maxWords: 15,
        countLegos: (target) => strict.check(units(target), lego).entries,
      },
      random,
    )
    phraseLists.push({id: lego.id, phrases, lego})
  }

  // Dirt, each kind on its own phrases so every count stays exact.
  const candidates = random.shuffle(phraseLists.flatMap((b) => b.phrases.map((_, i) => ({b, i})).filter(({i}) => !(b.lego.isFinal && i === b.phrases.length - 1))))
  const take = (n: number) => candidates.splice(0, Math.min(n, candidates.length))
  const gateCount = dirt.gateViolations || Math.round(dirt.gateViolationRate * phraseLists.reduce((n, b) => n + b.phrases.length, 0))
  const gate = take(gateCount)
  for (const {b, i} of gate) {
    const p = b.phrases[i]!
    b.phrases[i] = {known: `${p.known} ${lexicon.knownWord()}`, target: `${p.target}${lexicon.targetJoiner}${lexicon.foreignTargetWord()}`}
  }
  const leak = script === 'han' ? take(dirt.leakage) : []
  for (const {b, i} of leak) b.phrases[i] = {known: String.fromCodePoint(0x9fa5, 0x9fa6), target: b.phrases[i]!.target}
  const swaps = take(dirt.swapped)
  for (const {b, i} of swaps) b.phrases[i] = {known: b.phrases[i]!.target, target: b.phrases[i]!.known}

  for (const b of phraseLists) baskets[b.id] = cleanBasket(b.lego, b.phrases)
  const emptyIds = random.shuffle([...unfilled]).slice(0, dirt.empty)
  for (const lego of emptyIds) baskets[lego.id] = cleanBasket(lego, [])
  const overage = course.legos.filter((l) => !l.isNew).slice(0, dirt.overage)
  for (const lego of overage) baskets[lego.id] = cleanBasket(lego, [{known: lego.known, target: lego.target}])
  // Orphans: LEGO ids from the top of the id space that this course does not use.
  for (let i = 0, made = 0; made < dirt.orphans; i++) {
    const id = `S${pad(9999 - Math.floor(i / 99), 4)}L${pad(99 - (i % 99), 2)}`
    if (course.legoById.has(id)) continue
    baskets[id] = {lego: {known: 'x', target: 'y'}, practice_phrases: [{known: 'x', target: 'y'}], is_final_lego: false, phrase_count: 1}
    made++
  }
  const canon: Record<string, unknown> = {version: '1.0.0', course: code, metadata: {total_baskets: Object.keys(baskets).length + (dirt.staleMetadata ? 7 : 0)}, baskets}
  const emptySet = new Set(emptyIds)
  const strayIds = unfilled.filter((l) => !emptySet.has(l)).slice(0, dirt.strays)
  for (const lego of strayIds) canon[lego.id] = cleanBasket(lego, [{known: lego.known, target: lego.target}])
  const uploads = ['seed', 'agentId', 'stagingOnly', 'courseCode', 'browserId', 'seedRange'].slice(0, dirt.pollution)
  for (const field of uploads) canon[field] = field === 'stagingOnly' ? true : `upload-${field}`

  const files: Record<string, unknown> = {'lego_pairs.json': serializeLegoPairs(course, shape, order), 'lego_baskets.json': canon}
  if (options.seedPairs ?? shape !== 'LP-A') {
    files['seed_pairs.json'] = {translations: Object.fromEntries(course.seeds.map((s) => [s.id, {known: s.known, target: s.target}]))}
  }
  const present = phraseLists.length
  return {
    code,
    course,
    files,
    canon,
    expected: {
      legos: course.legos.length,
      needed: newLegos.length,
      present,
      missing: newLegos.length - present,
      empty: emptyIds.length,
      overage: overage.length,
      orphans: dirt.orphans,
      strays: strayIds.length,
      pollution: uploads.length,
      phrases: phraseLists.reduce((n, b) => n + b.phrases.length, 0) + overage.length,
      gateViolations: gate.length,
      leakage: leak.length,
      swapped: swaps.length,
    },
  }
}
