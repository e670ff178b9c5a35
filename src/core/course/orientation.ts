import {UsageError} from '../errors.js'
import {tidy, unitKey} from '../text/normalize.js'
import {languageScripts, scriptShare, scriptsDiffer} from '../text/script.js'
import type {ArrayOrder, OrientationDecision, TextPair} from './model.js'
import type {RawCourse, RawPair} from './raw-shapes.js'

/**
 * Array pairs in lego_pairs files are [known, target] in some files and [target, known] in others.
 * The order is decided once per file from the strongest evidence available, and reported.
 */
export interface OrientationInputs {
  option: ArrayOrder | null
  seedPairs: Map<string, TextPair> | null
  knownLanguage: string | null
  targetLanguage: string | null
}

/** A decision needs this share of the votes for one order. */
const MAJORITY = 0.9

interface Votes {
  knownTarget: number
  targetKnown: number
}

function verdict(votes: Votes): ArrayOrder | null {
  const total = votes.knownTarget + votes.targetKnown
  if (total === 0) return null
  if (votes.knownTarget / total >= MAJORITY) return 'known-target'
  if (votes.targetKnown / total >= MAJORITY) return 'target-known'
  return null
}

const describeVotes = (v: Votes) => `${v.knownTarget} pair(s) read as [known, target], ${v.targetKnown} as [target, known]`

function arrayPairs(raw: RawCourse): Array<{seed: string; pair: Extract<RawPair, {kind: 'array'}>; level: 'seed' | 'lego'}> {
  const out: Array<{seed: string; pair: Extract<RawPair, {kind: 'array'}>; level: 'seed' | 'lego'}> = []
  for (const seed of raw.seeds) {
    if (seed.pair?.kind === 'array') out.push({seed: seed.id, pair: seed.pair, level: 'seed'})
    for (const lego of seed.legos) {
      if (lego.pair.kind === 'array') out.push({seed: seed.id, pair: lego.pair, level: 'lego'})
      for (const c of lego.components) if (c.kind === 'array') out.push({seed: seed.id, pair: c, level: 'lego'})
    }
  }
  return out
}

export function resolveOrientation(raw: RawCourse, inputs: OrientationInputs, file: string): OrientationDecision {
  const pairs = arrayPairs(raw)
  if (pairs.length === 0) return {arrays: false, order: null, method: 'labelled', evidence: 'every pair is labelled known/target'}
  if (inputs.option) return {arrays: true, order: inputs.option, method: 'option', evidence: `set by --orientation / config: ${inputs.option}`}

  const tried: string[] = []

  if (inputs.seedPairs) {
    const votes: Votes = {knownTarget: 0, targetKnown: 0}
    for (const {seed, pair, level} of pairs) {
      const ref = level === 'seed' ? inputs.seedPairs.get(seed) : undefined
      if (!ref) continue
      const [a, b] = [tidy(pair.first), tidy(pair.second)]
      if (a === tidy(ref.known) && b === tidy(ref.target)) votes.knownTarget++
      else if (a === tidy(ref.target) && b === tidy(ref.known)) votes.targetKnown++
    }
    const order = verdict(votes)
    if (order) return {arrays: true, order, method: 'seed-pairs', evidence: `seed_pairs.json: ${describeVotes(votes)}`}
    tried.push(`seed_pairs.json was not conclusive (${describeVotes(votes)})`)
  } else tried.push('there is no labelled seed_pairs.json')

  const known = languageScripts(inputs.knownLanguage ?? '')
  const target = languageScripts(inputs.targetLanguage ?? '')
  if (inputs.knownLanguage && inputs.targetLanguage && scriptsDiffer(known, target)) {
    const votes: Votes = {knownTarget: 0, targetKnown: 0}
    for (const {pair} of pairs) {
      const first = scriptShare(pair.first, target)
      const second = scriptShare(pair.second, target)
      if (first === null || second === null || first === second) continue
      if (second > first) votes.knownTarget++
      else votes.targetKnown++
    }
    const order = verdict(votes)
    if (order) return {arrays: true, order, method: 'script', evidence: `script (${inputs.targetLanguage} is written in ${target.join('/')}): ${describeVotes(votes)}`}
    tried.push(`the scripts were not conclusive (${describeVotes(votes)})`)
  } else tried.push(`the course languages (${inputs.knownLanguage ?? '?'} → ${inputs.targetLanguage ?? '?'}) share a script`)

  // Labelled LEGOs next to array seed pairs: a seed's target sentence contains its LEGOs' target text.
  const votes: Votes = {knownTarget: 0, targetKnown: 0}
  for (const seed of raw.seeds) {
    if (seed.pair?.kind !== 'array') continue
    const [first, second] = [` ${unitKey(seed.pair.first)} `, ` ${unitKey(seed.pair.second)} `]
    for (const lego of seed.legos) {
      if (lego.pair.kind !== 'labelled') continue
      const t = ` ${unitKey(lego.pair.target)} `
      const k = ` ${unitKey(lego.pair.known)} `
      const inFirst = first.includes(t) && !first.includes(k)
      const inSecond = second.includes(t) && !second.includes(k)
      if (inSecond && !inFirst) votes.knownTarget++
      else if (inFirst && !inSecond) votes.targetKnown++
    }
  }
  const order = verdict(votes)
  if (order) return {arrays: true, order, method: 'lego-containment', evidence: `labelled LEGO text found in the seed sentences: ${describeVotes(votes)}`}

  throw new UsageError({
    code: 'E_ORIENTATION',
    message: `Cannot tell whether the array pairs in ${file} are [known, target] or [target, known]: ${tried.join('; ')}.`,
    hint: 'Pass --orientation known-target or --orientation target-known (or set "orientation" in wicker.config.json).',
    details: {file, arrayPairs: pairs.length},
  })
}

export function applyOrientation(pair: RawPair, order: ArrayOrder | null): TextPair {
  if (pair.kind === 'labelled') return {known: pair.known, target: pair.target}
  return order === 'target-known' ? {known: pair.second, target: pair.first} : {known: pair.first, target: pair.second}
}
