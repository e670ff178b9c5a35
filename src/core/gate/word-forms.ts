import {elisionRules, splitElision, type ElisionPiece, type ElisionTable} from '../text/elision.js'
import {mutationRules, radicals} from '../text/mutation.js'
import type {Unit} from '../text/normalize.js'
import type {GateRule} from './rules.js'

/**
 * Forms of a phrase word that make it known when the word itself is not vocabulary: its pieces
 * split at an elision (l'ami → l' + ami) or its de-mutated forms (Breton c'hi → ki). Each word's
 * forms are worked out once per course; whether they are known depends on the LEGO.
 */
export type WordFallback = (unit: Unit, known: (word: string) => boolean) => GateRule | null

interface Forms {
  pieces: ElisionPiece[] | null
  radicals: string[]
  particle: boolean
}

export function wordFallback(language: string | null, extra?: Record<string, ElisionTable>): WordFallback | null {
  const elision = elisionRules(language, extra)
  const mutation = mutationRules(language)
  if (!elision && !mutation) return null
  const cache = new Map<string, Forms>()
  const formsOf = (unit: string): Forms => {
    let forms = cache.get(unit)
    if (!forms) {
      forms = {pieces: elision ? splitElision(unit, elision) : null, radicals: mutation ? radicals(unit, mutation) : [], particle: mutation?.particles.has(unit) ?? false}
      cache.set(unit, forms)
    }
    return forms
  }
  return (unit, known) => {
    const forms = formsOf(unit)
    if (forms.pieces && forms.pieces.every((p) => known(p.text) || (p.forms !== null && p.forms.some((words) => words.every(known))))) return 'elision'
    if (forms.particle || forms.radicals.some(known)) return 'mutation'
    return null
  }
}

/** Pieces a vocabulary word splits into at an elision, each of them vocabulary too (l'eau → l', eau). */
export function vocabularyPieces(language: string | null, extra?: Record<string, ElisionTable>): ((word: string) => string[]) | null {
  const elision = elisionRules(language, extra)
  if (!elision) return null
  return (word) => splitElision(word, elision)?.filter((p) => p.forms === null || !elision.whole.has(p.text)).map((p) => p.text) ?? []
}
