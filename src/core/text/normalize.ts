/**
 * Unicode-correct text handling shared by comparison, GATE and validation: NFC, case folding,
 * punctuation of every script stripped, accents kept.
 */

/** Scripts written without spaces between words: matched by longest vocabulary entry. */
const UNSPACED_CLASS = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]`
const HAS_UNSPACED = new RegExp(UNSPACED_CLASS, 'u')
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu

/** Whether the text holds any character of a script written without spaces. */
export function hasUnspaced(text: string): boolean {
  return HAS_UNSPACED.test(text)
}

/** NFC, trimmed, inner white space folded to one space. Used wherever text is compared. */
export function tidy(text: string): string {
  const nfc = nfc_(text)
  if (nfc === '') return nfc
  // Fast path: no white space at either end, no run of it, nothing but plain spaces inside.
  const untidy = SPACE.test(nfc[0]!) || SPACE.test(nfc.at(-1)!) || UNTIDY.test(nfc)
  return untidy ? nfc.replace(/\s+/gu, ' ').trim() : nfc
}
// \s matches Unicode white space with or without the u flag; without it the test is faster
const UNTIDY = /\s\s|[^\S ]/
const SPACE = /\s/

/** Case-folded, NFC form for lookups. `toLowerCase` is locale-independent; accents are kept. */
export function fold(text: string): string {
  return nfc_(text).toLowerCase().replace(/’/gu, "'")
}

/** Folded text of a unit: a word of a spaced script, or one character of an unspaced one. */
export type Unit = string

/** A phrase's units; `unspaced` says whether any of them is a character of an unspaced script. */
export type Units = Unit[] & {unspaced?: true}

/** Whether a unit is one character of Han, kana, Thai… (spaced words never contain one). */
export function isUnspaced(unit: Unit): boolean {
  return unit.length <= 2 && HAS_UNSPACED.test(unit)
}

/**
 * Splits text into the units GATE works on: words of spaced scripts (letters, marks and digits, an
 * inner apostrophe kept: `español`, `l'eau`), and single characters of unspaced scripts, which the
 * vocabulary matcher then groups into the longest known entries. Punctuation and symbols of every
 * script (`¿¡。，！？…`) are dropped.
 */
export function units(text: string): Units {
  return unitsOfNfc(nfc_(text))
}

/**
 * NFC, skipping the work for text below U+0300: no character there changes under NFC (the first
 * that can is the combining grave accent), and most course text in Latin script is all there.
 */
export function nfc_(text: string): string {
  return MAY_CHANGE_UNDER_NFC.test(text) ? text.normalize('NFC') : text
}
const MAY_CHANGE_UNDER_NFC = /[^\u0000-\u02ff]/

/** `units` for text already in NFC (e.g. from `tidy`), saving a second normalisation. */
export function unitsOfNfc(text: string): Units {
  const folded = text.toLowerCase()
  return wordsBelow300(folded) ?? wordsOf(folded)
}

/**
 * `unitsOfNfc` and their key (`keyOf`), the key made without joining where it can be: when the
 * words stand in the folded text one plain space apart (most phrases), the key is that text, or
 * the slice of it from the first word to the last, already there.
 */
export function unitsAndKeyOfNfc(text: string): {units: Units; key: string} {
  const folded = text.toLowerCase()
  const below = wordsBelow300(folded, KEY_SPAN)
  if (below === null) {
    const list = wordsOf(folded)
    return {units: list, key: keyOf(list)}
  }
  const {from, to, joined} = KEY_SPAN
  const key = below.length === 0 ? '' : !joined ? keyOf(below) : from === 0 && to === folded.length ? folded : folded.slice(from, to)
  return {units: below, key}
}

/** Where wordsBelow300's words lie in its text: from the first's start to the last's end, and whether each follows the one before after exactly one space, as found. */
interface KeySpan {
  from: number
  to: number
  joined: boolean
}
const KEY_SPAN: KeySpan = {from: 0, to: 0, joined: true}

/**
 * Classes of the characters below U+0300 (no unspaced script lives there), from the very character
 * classes WORD uses: a letter, mark or digit, the apostrophe, anything else.
 */
const OTHER = 0
const LMN = 1
const APOSTROPHE = 2
const CLASS_BELOW_300 = (() => {
  const classes = new Uint8Array(0x300)
  const lmn = /^[\p{L}\p{M}\p{N}]$/u
  for (let c = 0; c < 0x300; c++) {
    const ch = String.fromCharCode(c)
    if (HAS_UNSPACED.test(ch)) throw new Error('an unspaced character below U+0300')
    classes[c] = ch === "'" ? APOSTROPHE : lmn.test(ch) ? LMN : OTHER
  }
  return classes
})()
const CURLY_APOSTROPHE = 0x2019

/**
 * WORD's matches in lowercased text all below U+0300 (the typographic apostrophe aside, folded to
 * "'"), by a loop over the characters instead of the Unicode regex: a run of letters, marks and
 * digits, continued by an apostrophe followed by another such run. null when some character is
 * outside that range: the regex then decides (test/unit/text/normalize.test.ts holds the two equal).
 */
function wordsBelow300(folded: string, span: KeySpan | null = null): Units | null {
  const out: Units = []
  const n = folded.length
  if (span) {
    span.from = 0
    span.to = 0
    span.joined = true
  }
  let i = 0
  while (i < n) {
    const c = folded.charCodeAt(i)
    if (c >= 0x300 && c !== CURLY_APOSTROPHE) return null
    if (c >= 0x300 || CLASS_BELOW_300[c] !== LMN) {
      i++
      continue
    }
    const start = i
    let curly = false
    i++
    for (;;) {
      while (i < n) {
        const d = folded.charCodeAt(i)
        if (d < 0x300 && CLASS_BELOW_300[d] === LMN) i++
        else if (d >= 0x300 && d !== CURLY_APOSTROPHE) return null
        else break
      }
      if (i + 1 >= n) break
      const a = folded.charCodeAt(i)
      const next = folded.charCodeAt(i + 1)
      if (next >= 0x300 && next !== CURLY_APOSTROPHE) return null
      if ((a === CURLY_APOSTROPHE || CLASS_BELOW_300[a] === APOSTROPHE) && next < 0x300 && CLASS_BELOW_300[next] === LMN) {
        if (a === CURLY_APOSTROPHE) curly = true
        i += 2
        continue
      }
      break
    }
    const word = folded.slice(start, i)
    if (span) {
      // a folded typographic apostrophe is not the text found
      if (curly || (out.length > 0 && !(start === span.to + 1 && folded.charCodeAt(span.to) === 0x20))) span.joined = false
      if (out.length === 0) span.from = start
      span.to = i
    }
    out.push(curly ? word.replaceAll('’', "'") : word)
  }
  return out
}

/** The general way: WORD's matches, and each unspaced character a unit of its own. */
function wordsOf(lowered: string): Units {
  let folded = lowered
  if (folded.includes('’')) folded = folded.replace(/’/gu, "'")
  const words = folded.match(WORD)
  if (words === null) return []
  if (!HAS_UNSPACED.test(folded)) return words
  const out: Units = []
  out.unspaced = true
  for (const word of words) {
    if (!HAS_UNSPACED.test(word)) {
      out.push(word)
      continue
    }
    // A run mixing scripts: each unspaced character stands alone, spaced letters stay together.
    let spaced = ''
    const flush = () => {
      const trimmed = spaced.replace(/^'+|'+$/g, '')
      if (trimmed !== '') out.push(trimmed)
      spaced = ''
    }
    for (const ch of word) {
      if (HAS_UNSPACED.test(ch)) {
        flush()
        out.push(ch)
      } else spaced += ch
    }
    flush()
  }
  return out
}

/** The comparison key of a phrase side: its units joined, so punctuation and spacing never differ. */
export function unitKey(text: string): string {
  return keyOf(units(text))
}

export function keyOf(list: readonly Unit[]): string {
  return list.join(' ')
}

/** Number of words as a learner would count them: spaced words, and each run of unspaced script as one. */
export function wordCount(text: string | Units): number {
  const list = typeof text === 'string' ? units(text) : text
  if (!list.unspaced) return list.length
  let count = 0
  let inRun = false
  for (const unit of list) {
    if (isUnspaced(unit)) {
      if (!inRun) count++
      inRun = true
    } else {
      count++
      inRun = false
    }
  }
  return count
}
