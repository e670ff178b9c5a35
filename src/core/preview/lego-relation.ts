import type {TextPair} from '../course/model.js'
import {containsInOrder, framePieces} from '../text/frame.js'
import {unitKey} from '../text/normalize.js'

/**
 * How the `lego` text a staged basket gives for itself relates to lego_pairs' LEGO of the same id.
 *
 * - `same`: no text given, or at least one side agrees (a reworded side is reported by extract, and
 *   lego_pairs' text is written);
 * - `swap`: the file gives the pair as [target, known]: the same LEGO, written the other way round;
 * - `mismatch`: both sides differ and the phrases are built on the file's LEGO, not lego_pairs': the
 *   basket was written for another LEGO (ids renumbered since), so merging it would put practice of
 *   one LEGO under another's id;
 * - `differs`: both sides differ but the phrases do not say which LEGO they practise.
 */
export type LegoRelation = 'same' | 'swap' | 'mismatch' | 'differs'

/** Whether a phrase's target holds the LEGO target: as a run of whole units, or a frame's pieces in order (text/frame.ts). */
export function holds(phraseTarget: string, legoTarget: string): boolean {
  const keys = (framePieces(legoTarget) ?? [legoTarget]).map((p) => unitKey(p)).filter((p) => p !== '')
  return keys.length > 0 && containsInOrder(unitKey(phraseTarget), keys)
}

export function legoRelation(given: TextPair | null | undefined, lego: TextPair, phrases: readonly TextPair[]): LegoRelation {
  if (!given || given.known.trim() === '' || given.target.trim() === '') return 'same'
  // the common case, without tokenising: the file repeats lego_pairs' text
  if (given.known === lego.known || given.target === lego.target) return 'same'
  const gk = unitKey(given.known)
  const gt = unitKey(given.target)
  const lk = unitKey(lego.known)
  const lt = unitKey(lego.target)
  if (gk === lk || gt === lt) return 'same'
  if (gk === lt && gt === lk) return 'swap'
  // Built on the file's LEGO: it occurs in more phrases than lego_pairs' does (and in at least one).
  let mine = 0
  let theirs = 0
  for (const p of phrases) {
    if (holds(p.target, given.target)) mine++
    if (holds(p.target, lego.target)) theirs++
  }
  return mine > 0 && mine > theirs ? 'mismatch' : 'differs'
}
