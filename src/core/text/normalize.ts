/**
 * Unicode-correct text handling shared by comparison, GATE and validation: NFC, case folding,
 * punctuation of every script stripped, accents kept.
 */

/** Scripts written without spaces between words: matched by longest vocabulary entry. */
const UNSPACED_SET = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]`
const UNSPACED = new RegExp(`^${UNSPACED_SET}`, 'v')
const WORD_CHAR = String.raw`[[\p{L}\p{M}\p{N}]--${UNSPACED_SET}]`
const UNIT = new RegExp(`${UNSPACED_SET}|${WORD_CHAR}+(?:['’]${WORD_CHAR}+)*`, 'gv')

/** NFC, trimmed, inner white space folded to one space. Used wherever text is compared. */
export function tidy(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/** Case-folded, NFC form for lookups. `toLowerCase` is locale-independent; accents are kept. */
export function fold(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/’/gu, "'")
}

export interface Unit {
  /** folded text of the unit: a word, or one character of an unspaced script */
  text: string
  /** true for one character of Han, kana, Thai…; false for a spaced word */
  unspaced: boolean
}

/**
 * Splits text into the units GATE works on: words of spaced scripts (letters, marks and digits, an
 * inner apostrophe kept: `español`, `l'eau`), and single characters of unspaced scripts, which the
 * vocabulary matcher then groups into the longest known entries. Punctuation and symbols of every
 * script (`¿¡。，！？…`) are dropped.
 */
export function units(text: string): Unit[] {
  const out: Unit[] = []
  for (const match of fold(text).matchAll(UNIT)) {
    const t = match[0]
    out.push({text: t, unspaced: UNSPACED.test(t)})
  }
  return out
}

/** The comparison key of a phrase side: its units joined, so punctuation and spacing never differ. */
export function unitKey(text: string): string {
  return units(text)
    .map((u) => u.text)
    .join(' ')
}

/** Number of words as a learner would count them: spaced words, and each run of unspaced script as one. */
export function wordCount(text: string): number {
  let count = 0
  let inRun = false
  for (const unit of units(text)) {
    if (unit.unspaced) {
      if (!inRun) count++
      inRun = true
    } else {
      count++
      inRun = false
    }
  }
  return count
}
