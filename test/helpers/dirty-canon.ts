import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/**
 * A generated course's canon with findings of every per-basket kind the generator does not make,
 * every few baskets all through it: blank, duplicate, containment, too long, unreadable (a phrase
 * that is no object), derived fields, lego text, phrase count, a lone surrogate escape, swapped.
 */
type Basket = {lego?: {known: string; target: string}; practice_phrases: Array<{known: string; target: string}>; is_final_lego?: unknown; phrase_count?: unknown}

/** `shapedOnly`: only the spoils that leave each basket in wicker's shape (no unreadable phrase, no escape). */
export function dirty(dir: string, shapedOnly = false): void {
  const file = join(dir, 'lego_baskets.json')
  const canon = JSON.parse(readFileSync(file, 'utf8')) as {baskets: Record<string, Basket>}
  const ids = Object.keys(canon.baskets).filter((id) => canon.baskets[id]!.practice_phrases.length >= 4)
  const spoil: Array<(b: Basket) => void> = [
    (b) => (b.practice_phrases[1]!.known = ' '), // blank
    (b) => (b.practice_phrases[2] = {...b.practice_phrases[1]!}), // duplicate-phrase
    (b) => (b.practice_phrases[0]!.target = 'zzq vrr'), // containment (and gate)
    (b) => {
      // too-long (Han counts the known side's words)
      b.practice_phrases[1]!.target = `${b.practice_phrases[1]!.target}${' plo'.repeat(20)}`
      b.practice_phrases[1]!.known = `${b.practice_phrases[1]!.known}${' plo'.repeat(20)}`
    },
    (b) => (b.practice_phrases[0] = 42 as never), // schema: an unreadable phrase, null on both threads
    (b) => (b.phrase_count = 99), // derived-fields
    (b) => delete b.is_final_lego, // derived-fields
    (b) => (b.lego = {known: 'other', target: 'another'}), // lego-text
    (b) => b.practice_phrases.pop(), // phrase-count
    (b) => (b.practice_phrases[3]!.known = 'broken \ud800 text'), // encoding
    (b) => (b.practice_phrases[2] = {known: b.practice_phrases[2]!.target, target: b.practice_phrases[2]!.known}), // swapped, maybe
  ]
  // shapedOnly: not the two that take a basket out of wicker's shape (a phrase that is no object, an escape)
  const spoils = shapedOnly ? spoil.filter((_, k) => k !== 4 && k !== 9) : spoil
  ids.forEach((id, i) => {
    if (i % 7 === 3) spoils[(i / 7) % spoils.length | 0]!(canon.baskets[id]!)
  })
  // a final LEGO's last phrase that is not the seed sentence, early and late
  for (const id of [ids.find((id) => canon.baskets[id]!.is_final_lego === true), ids.findLast((id) => canon.baskets[id]!.is_final_lego === true)]) {
    const b = canon.baskets[id!]!
    b.practice_phrases[b.practice_phrases.length - 1]!.target = `${b.lego!.target} ${b.lego!.target}`
  }
  writeFileSync(file, JSON.stringify(canon))
}

