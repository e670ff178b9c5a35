import {UsageError} from '../errors.js'
import {fold, tidy, unitKey} from '../text/normalize.js'
import {languageScripts, scriptShare, scriptsDiffer} from '../text/script.js'
import type {ArrayOrder, OrientationDecision, OrientationMethod, TextPair} from './model.js'
import type {RawCourse, RawPair} from './raw-shapes.js'

/**
 * Array pairs in lego_pairs files are [known, target] in some files and [target, known] in others.
 * The order is decided once per file from the strongest evidence available (DOMAIN.md §1.2):
 *   1. labelled text in the same file: an array pair against the labelled text around it (a
 *      component against its own LEGO, a LEGO against its seed, a seed against its LEGOs);
 *   2. seed_pairs.json (labelled): the same seed sentence, or a LEGO inside it;
 *   3. the canon's labelled `lego` text for the same LEGO ids;
 *   4. labelled `lego` text of staging baskets for the same ids;
 *   5. script, where the two languages are written differently.
 * The first that is clear (MAJORITY of the pairs it can judge) decides, and is reported with its
 * count. A flag or config value is checked against the same evidence: contradicting clear evidence
 * is refused, since reading every pair the wrong way round would corrupt every LEGO.
 */
export interface OrientationInputs {
  option: ArrayOrder | null
  seedPairs: Map<string, TextPair> | null
  knownLanguage: string | null
  targetLanguage: string | null
  /** the canon's labelled LEGO text by id; asked for only when the evidence before it does not decide */
  canonLegos?: () => Promise<Map<string, TextPair> | null>
  /** labelled LEGO text of staging baskets by id; asked for last (it reads staging) */
  stagingLegos?: () => Promise<Map<string, TextPair> | null>
}

/** A decision needs this share of the votes for one order. */
const MAJORITY = 0.9
/**
 * Pairs judged per kind of evidence: plenty for a 90% verdict, and it keeps a 100,000-LEGO file
 * from spending seconds on evidence (real courses, ~3,000 LEGOs, are counted whole).
 */
export const ENOUGH_VOTES = 5000

type ArrayPair = Extract<RawPair, {kind: 'array'}>

/** Votes per kind of pair judged ("components", "LEGOs", "seed sentences"). */
class Votes {
  readonly kinds = new Map<string, {knownTarget: number; targetKnown: number}>()
  vote(kind: string, order: ArrayOrder | null): void {
    if (order === null) return
    const v = this.kinds.get(kind) ?? {knownTarget: 0, targetKnown: 0}
    if (order === 'known-target') v.knownTarget++
    else v.targetKnown++
    this.kinds.set(kind, v)
  }
  get knownTarget(): number {
    return [...this.kinds.values()].reduce((n, v) => n + v.knownTarget, 0)
  }
  get targetKnown(): number {
    return [...this.kinds.values()].reduce((n, v) => n + v.targetKnown, 0)
  }
  /** enough pairs judged: the rest of the file is not read for this evidence */
  get full(): boolean {
    return this.knownTarget + this.targetKnown >= ENOUGH_VOTES
  }
  verdict(): ArrayOrder | null {
    const total = this.knownTarget + this.targetKnown
    if (total === 0) return null
    if (this.knownTarget / total >= MAJORITY) return 'known-target'
    if (this.targetKnown / total >= MAJORITY) return 'target-known'
    return null
  }
  /** "51 of 52 components, 3 of 3 LEGOs read as [known, target]" */
  describe(order: ArrayOrder | null): string {
    if (this.kinds.size === 0) return 'no pair could be compared'
    if (order === null) return [...this.kinds].map(([kind, v]) => `${kind}: ${v.knownTarget} as [known, target], ${v.targetKnown} as [target, known]`).join('; ')
    const agree = (v: {knownTarget: number; targetKnown: number}) => (order === 'known-target' ? v.knownTarget : v.targetKnown)
    const sampled = this.full ? ` (judging stopped after ${this.knownTarget + this.targetKnown} pairs: enough to decide)` : ''
    return `${[...this.kinds].map(([kind, v]) => `${agree(v)} of ${v.knownTarget + v.targetKnown} ${kind}`).join(', ')} read as ${shown(order)}${sampled}`
  }
}

const shown = (order: ArrayOrder) => (order === 'known-target' ? '[known, target]' : '[target, known]')

/** unitKey, remembered: a seed's sentence and a LEGO's text are compared many times. */
const keys = new Map<string, string>()
function key(text: string): string {
  let k = keys.get(text)
  if (k === undefined) {
    k = ` ${unitKey(text)} `
    if (keys.size > 100_000) keys.clear()
    keys.set(text, k)
  }
  return k
}

/** Whether `needle` occurs in `hay` as whole words (or whole characters, in scripts without spaces). */
function contains(hay: string, needle: string): boolean {
  const n = key(needle)
  return n !== '  ' && key(hay).includes(n)
}

/** How an array pair sits inside labelled text: [first, second] inside [known, target] or the other way. */
function byContainment(pair: ArrayPair, around: TextPair): ArrayOrder | null {
  const kt = contains(around.known, pair.first) && contains(around.target, pair.second)
  const tk = contains(around.target, pair.first) && contains(around.known, pair.second)
  return kt === tk ? null : kt ? 'known-target' : 'target-known'
}

/** The same check the other way: labelled text inside an array pair (a LEGO inside its seed sentence). */
function byContained(inner: TextPair, pair: ArrayPair): ArrayOrder | null {
  const kt = contains(pair.first, inner.known) && contains(pair.second, inner.target)
  const tk = contains(pair.first, inner.target) && contains(pair.second, inner.known)
  return kt === tk ? null : kt ? 'known-target' : 'target-known'
}

/** An array pair equal to labelled text, side for side. */
function byEquality(pair: ArrayPair, ref: TextPair): ArrayOrder | null {
  const [a, b, k, t] = [pair.first, pair.second, ref.known, ref.target].map((x) => fold(tidy(x)))
  const kt = a === k && b === t
  const tk = a === t && b === k
  return kt === tk ? null : kt ? 'known-target' : 'target-known'
}

const labelled = (p: RawPair | null): TextPair | null => (p?.kind === 'labelled' ? {known: p.known, target: p.target} : null)
const asArray = (p: RawPair | null): ArrayPair | null => (p?.kind === 'array' ? p : null)

function sameFile(raw: RawCourse): Votes {
  const votes = new Votes()
  for (const seed of raw.seeds) {
    if (votes.full) break
    const seedText = labelled(seed.pair)
    const seedArray = asArray(seed.pair)
    for (const lego of seed.legos) {
      if (votes.full) break
      const legoText = labelled(lego.pair)
      const legoArray = asArray(lego.pair)
      if (legoText) for (const c of lego.components) if (c.kind === 'array') votes.vote('components', byContainment(c, legoText))
      if (legoArray && seedText) votes.vote('LEGOs', byContainment(legoArray, seedText))
      if (legoText && seedArray) votes.vote('seed sentences', byContained(legoText, seedArray))
    }
  }
  return votes
}

function fromSeedPairs(raw: RawCourse, seedPairs: Map<string, TextPair>): Votes {
  const votes = new Votes()
  for (const seed of raw.seeds) {
    if (votes.full) break
    const ref = seedPairs.get(seed.id)
    if (!ref) continue
    const seedArray = asArray(seed.pair)
    if (seedArray) votes.vote('seed sentences', byEquality(seedArray, ref))
    for (const lego of seed.legos) {
      if (votes.full) break
      const legoArray = asArray(lego.pair)
      if (legoArray) votes.vote('LEGOs', byContainment(legoArray, ref))
    }
  }
  return votes
}

function fromLegoText(raw: RawCourse, text: Map<string, TextPair>): Votes {
  const votes = new Votes()
  for (const seed of raw.seeds) {
    if (votes.full) break
    for (const lego of seed.legos) {
      if (votes.full) break
      const legoArray = asArray(lego.pair)
      const ref = text.get(lego.id)
      if (legoArray && ref) votes.vote('LEGOs', byEquality(legoArray, ref))
    }
  }
  return votes
}

function fromScript(pairs: ArrayPair[], inputs: OrientationInputs): Votes | string {
  const known = languageScripts(inputs.knownLanguage ?? '')
  const target = languageScripts(inputs.targetLanguage ?? '')
  if (!inputs.knownLanguage || !inputs.targetLanguage || !scriptsDiffer(known, target)) return `the course languages (${inputs.knownLanguage ?? '?'} → ${inputs.targetLanguage ?? '?'}) share a script`
  const votes = new Votes()
  for (const pair of pairs) {
    if (votes.full) break
    const first = scriptShare(pair.first, target)
    const second = scriptShare(pair.second, target)
    if (first === null || second === null || first === second) continue
    votes.vote(`pairs (${inputs.targetLanguage} is written in ${target.join('/')})`, second > first ? 'known-target' : 'target-known')
  }
  return votes
}

function arrayPairs(raw: RawCourse): ArrayPair[] {
  const out: ArrayPair[] = []
  for (const seed of raw.seeds) {
    if (seed.pair?.kind === 'array') out.push(seed.pair)
    for (const lego of seed.legos) {
      if (lego.pair.kind === 'array') out.push(lego.pair)
      for (const c of lego.components) if (c.kind === 'array') out.push(c)
    }
  }
  return out
}

interface Evidence {
  method: Exclude<OrientationMethod, 'labelled' | 'option'>
  name: string
  votes: () => Promise<Votes | string>
}

/** The evidence in order, strongest first; each is computed only when the ones before it did not decide. */
function evidenceChain(raw: RawCourse, pairs: ArrayPair[], inputs: OrientationInputs): Evidence[] {
  const map = (name: string, get: (() => Promise<Map<string, TextPair> | null>) | undefined, votes: (m: Map<string, TextPair>) => Votes) => async () => {
    const m = get ? await get() : null
    return m && m.size > 0 ? votes(m) : `there is no ${name}`
  }
  return [
    {method: 'same-file', name: 'labelled text in lego_pairs.json', votes: async () => sameFile(raw)},
    {method: 'seed-pairs', name: 'seed_pairs.json', votes: map('labelled seed_pairs.json', inputs.seedPairs ? async () => inputs.seedPairs : undefined, (m) => fromSeedPairs(raw, m))},
    {method: 'canon', name: "the canon's labelled LEGO text", votes: map('labelled LEGO text in the canon', inputs.canonLegos, (m) => fromLegoText(raw, m))},
    {method: 'staging', name: 'labelled staging baskets', votes: map('labelled LEGO text in staging', inputs.stagingLegos, (m) => fromLegoText(raw, m))},
    {method: 'script', name: 'script', votes: async () => fromScript(pairs, inputs)},
  ]
}

interface Found {
  order: ArrayOrder
  method: Evidence['method']
  evidence: string
  votes: {agree: number; of: number}
}

async function firstDeciding(chain: Evidence[], tried: string[]): Promise<Found | null> {
  for (const step of chain) {
    const votes = await step.votes()
    if (typeof votes === 'string') {
      tried.push(votes)
      continue
    }
    const order = votes.verdict()
    if (order) {
      const agree = order === 'known-target' ? votes.knownTarget : votes.targetKnown
      return {order, method: step.method, evidence: `${step.name}: ${votes.describe(order)}`, votes: {agree, of: votes.knownTarget + votes.targetKnown}}
    }
    tried.push(`${step.name} did not decide (${votes.describe(null)})`)
  }
  return null
}

export async function resolveOrientation(raw: RawCourse, inputs: OrientationInputs, file: string): Promise<OrientationDecision> {
  keys.clear()
  const pairs = arrayPairs(raw)
  if (pairs.length === 0) return {arrays: false, order: null, method: 'labelled', evidence: 'every pair is labelled known/target', votes: null, tried: []}
  const tried: string[] = []
  const found = await firstDeciding(evidenceChain(raw, pairs, inputs), tried)

  if (inputs.option) {
    if (found && found.order !== inputs.option) {
      throw new UsageError({
        code: 'E_ORIENTATION_CONFLICT',
        message: `The orientation ${inputs.option} (--orientation / config "orientation") contradicts the evidence in ${file}: ${found.evidence}.`,
        hint: `Drop --orientation (and "orientation" from wicker.config.json): wicker reads this file as ${found.order} by itself. If the evidence is wrong, fix the data it names.`,
        details: {file, option: inputs.option, evidence: found.method, order: found.order, votes: found.votes},
      })
    }
    const note = found ? `; agrees with ${found.evidence}` : '; nothing in the data decides'
    return {arrays: true, order: inputs.option, method: 'option', evidence: `set by --orientation / config: ${inputs.option}${note}`, votes: found?.votes ?? null, tried}
  }
  if (found) return {arrays: true, order: found.order, method: found.method, evidence: found.evidence, votes: found.votes, tried}

  const first = pairs.slice(0, 3).map((p) => `${p.path} ${JSON.stringify([p.first, p.second])}`)
  throw new UsageError({
    code: 'E_ORIENTATION',
    message: `Cannot tell whether the array pairs in ${file} are [known, target] or [target, known] (first arrays: ${first.join(', ')}): ${tried.join('; ')}.`,
    hint: 'Pass --orientation known-target or --orientation target-known (or set "orientation" in wicker.config.json); or give wicker labelled evidence: a seed_pairs.json of {known, target}, or canon baskets with lego: {known, target}.',
    details: {file, arrayPairs: pairs.length, firstArrays: pairs.slice(0, 3).map((p) => p.path)},
  })
}

export function applyOrientation(pair: RawPair, order: ArrayOrder | null): TextPair {
  if (pair.kind === 'labelled') return {known: pair.known, target: pair.target}
  return order === 'target-known' ? {known: pair.second, target: pair.first} : {known: pair.first, target: pair.second}
}
