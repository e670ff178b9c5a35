import type {TextPair} from '../course/model.js'
import type {Random} from './random.js'

/**
 * Builds a practice basket mechanically from whole LEGO chunks, so every phrase is GATE-compliant
 * under all four definitions as long as `chunks` only holds LEGOs the learner already has. Known
 * and target sides are built in step, chunk by chunk, and every phrase contains the current LEGO.
 * Phrases go from short to long in the 2-2-2-4 shape (1–2, 3, 4, 5+ LEGOs); the final LEGO's basket
 * ends with the seed sentence. The phrases are honest but mechanical: this exists for demos, tests,
 * benchmarks and dry runs, not to replace a writer.
 */
export interface BasketRequest {
  lego: TextPair
  /** LEGOs the phrase may use besides the current one (already known to the learner) */
  chunks: TextPair[]
  /** the seed sentence, when this is the seed's final LEGO */
  seedSentence: TextPair | null
  /** phrases wanted (10) */
  size: number
  /** '' for scripts written without spaces */
  joiner: {known: string; target: string}
  /** words above which a phrase is too long */
  maxWords: number
  /** how many LEGOs a validator would count in this target text; defaults to chunks used */
  countLegos?: (target: string) => number
}

/** LEGOs per phrase for each of the 10 slots: 2 of 1–2, 2 of 3, 2 of 4, 4 of 5+. */
export const SHAPE: ReadonlyArray<{min: number; max: number; slots: number}> = [
  {min: 1, max: 2, slots: 2},
  {min: 3, max: 3, slots: 2},
  {min: 4, max: 4, slots: 2},
  {min: 5, max: 6, slots: 4},
]

const words = (text: string) => text.split(/\s+/).filter(Boolean).length

function bucketOf(n: number): number {
  return n <= 2 ? 0 : n === 3 ? 1 : n === 4 ? 2 : 3
}

export function buildBasket(request: BasketRequest, random: Random): TextPair[] {
  const {lego, chunks, seedSentence, joiner} = request
  const count = request.countLegos ?? (() => -1)
  const slots = SHAPE.map((s) => s.slots * (request.size / 10))
  const plan: number[] = SHAPE.flatMap((s, i) => new Array<number>(Math.round(slots[i]!)).fill(i))
  if (seedSentence) {
    // The seed sentence is the last phrase; it takes the slot of its own size.
    const own = bucketOf(count(seedSentence.target) > 0 ? count(seedSentence.target) : 5)
    const at = plan.lastIndexOf(own)
    plan.splice(at >= 0 ? at : plan.length - 1, 1)
  }
  const seen = new Set<string>(seedSentence ? [seedSentence.target] : [])
  const phrases: TextPair[] = []
  for (const bucket of plan) {
    const shape = SHAPE[bucket]!
    let made: TextPair | null = null
    for (let attempt = 0; attempt < 40 && !made; attempt++) {
      const size = bucket === 0 && attempt === 0 && phrases.length === 0 ? 1 : random.int(shape.min, shape.max)
      if (size - 1 > chunks.length) continue
      const parts: TextPair[] = []
      for (let i = 0; i < size - 1; i++) parts.push(random.pick(chunks))
      parts.splice(random.int(0, parts.length), 0, lego)
      const phrase = {known: parts.map((p) => p.known).join(joiner.known), target: parts.map((p) => p.target).join(joiner.target)}
      if (seen.has(phrase.target)) continue
      if (words(phrase.known) > request.maxWords || words(phrase.target) > request.maxWords) continue
      const measured = count(phrase.target)
      if (measured > 0 && bucketOf(measured) !== bucket) continue
      made = phrase
    }
    if (made) {
      seen.add(made.target)
      phrases.push(made)
    }
  }
  if (seedSentence) phrases.push({known: seedSentence.known, target: seedSentence.target})
  return phrases
}
