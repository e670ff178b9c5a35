import type {Lego} from '../course/model.js'
import {framePieces} from '../text/frame.js'
import {isUnspaced, units, type Unit} from '../text/normalize.js'
import {segmentEntries} from '../text/segment.js'
import type {GateRule} from './rules.js'

/**
 * What a LEGO (or a seed sentence) teaches, entry by entry with the rule that taught it
 * (README "Words per script and language"):
 * - its whole target, and each word of a spaced target (`word`);
 * - its components' targets, when components count;
 * - the word segments of unspaced text (Han, kana, Thai), from Intl.Segmenter in the course's language;
 * - each piece of a discontinuous target (`ka…ri`: ka, ri);
 * - the pieces of an elided word (l'eau: l', eau), where the language elides.
 */
export type Put = (entry: Unit[], rule: GateRule) => void

export interface VocabularyOptions {
  /** the course's target language, for the segmenter's locale */
  language: string | null
  components: boolean
  /** vocabulary word → its elision pieces ([] when none); null for a language that does not elide */
  pieces: ((word: string) => string[]) | null
}

/** Vocabulary entries of a text: each spaced word, and each run of unspaced characters whole. */
export function wordEntries(list: Unit[]): Unit[][] {
  const out: Unit[][] = []
  let run: Unit[] = []
  for (const unit of list) {
    if (isUnspaced(unit)) {
      run.push(unit)
      continue
    }
    if (run.length > 0) out.push(run)
    run = []
    out.push([unit])
  }
  if (run.length > 0) out.push(run)
  return out
}

/**
 * Entries of one text: `whole` when an entry is all of it, `part` for its words; the word segments
 * of its unspaced runs (`segments`: LEGO targets and sentences, not components) and elided pieces.
 */
export function textVocabulary(text: string, whole: GateRule, part: GateRule, options: VocabularyOptions, put: Put, segments = true): void {
  const list = units(text)
  const entries = wordEntries(list)
  for (const entry of entries) put(entry, entries.length === 1 ? whole : part)
  // a lone character is its own only segment: skip the segmenter, the slowest step of the build
  if (segments && list.unspaced && entries.some((e) => e.length > 1)) for (const segment of segmentEntries(text, options.language)) put(segment, 'segment')
  if (options.pieces) {
    for (const entry of entries) if (entry.length === 1 && entry[0]!.includes("'")) for (const piece of options.pieces(entry[0]!)) put([piece], 'elision')
  }
}

/** What a LEGO teaches under cumulative, window and seed. */
export function legoVocabulary(lego: Lego, options: VocabularyOptions, put: Put): void {
  const pieces = framePieces(lego.target)
  if (pieces) for (const piece of pieces) textVocabulary(piece, 'frame', 'frame', options, put)
  else textVocabulary(lego.target, 'whole-lego', 'word', options, put)
  if (options.components) for (const c of lego.components) textVocabulary(c.target, 'component', 'component', options, put, false)
}

/** What a LEGO gives strict: its whole target as one chunk, or each piece of a frame as one. */
export function legoChunks(lego: Lego, put: Put): void {
  const pieces = framePieces(lego.target)
  for (const text of pieces ?? [lego.target]) {
    const list = units(text)
    if (list.length > 0) put([...list], pieces ? 'frame' : 'whole-lego')
  }
}
