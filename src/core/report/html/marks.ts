import {escapeText} from '../../text/html.js'

/**
 * A phrase with the given words wrapped in `<mark>`, everything escaped. A word is matched whole
 * (no letter, mark or digit on either side), except a word in a script written without spaces
 * between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar), which is matched wherever it
 * stands. Matching ignores case; overlapping matches keep the longer, earlier one.
 */
export function markWords(text: string, words: readonly string[]): string {
  const ranges: Array<[number, number]> = []
  const lower = text.toLowerCase()
  for (const word of new Set(words.map((w) => w.trim()).filter(Boolean))) {
    const needle = word.toLowerCase()
    if (UNSPACED.test(needle)) {
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) ranges.push([at, at + needle.length])
      continue
    }
    const whole = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escapeRegExp(needle)}(?![\\p{L}\\p{M}\\p{N}])`, 'gu')
    for (const m of lower.matchAll(whole)) ranges.push([m.index, m.index + m[0].length])
  }
  // toLowerCase keeps the length of almost every text; where it does not (İ), offsets would drift: mark nothing
  if (lower.length !== text.length) return escapeText(text)
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  let out = ''
  let at = 0
  for (const [start, end] of ranges) {
    if (start < at) continue
    out += `${escapeText(text.slice(at, start))}<mark>${escapeText(text.slice(start, end))}</mark>`
    at = end
  }
  return out + escapeText(text.slice(at))
}

/** scripts written without spaces between words */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
