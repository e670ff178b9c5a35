/**
 * Which writing system a text is in, and which one a language is expected to use. Used to resolve
 * array orientation and to catch wrong-language (leaked) and swapped phrases.
 */
export type Script = 'Latin' | 'Han' | 'Kana' | 'Hangul' | 'Cyrillic' | 'Greek' | 'Arabic' | 'Hebrew' | 'Devanagari' | 'Thai' | 'Other'

const PATTERNS: Array<[Script, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Han', /\p{Script=Han}/u],
  ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
]

const LETTER = /\p{L}/u

/** Letters of the text counted by script. Japanese kana and Han are counted apart. */
export function scriptCounts(text: string): Map<Script, number> {
  const counts = new Map<Script, number>()
  for (const ch of text) {
    if (!LETTER.test(ch)) continue
    const script = PATTERNS.find(([, re]) => re.test(ch))?.[0] ?? 'Other'
    counts.set(script, (counts.get(script) ?? 0) + 1)
  }
  return counts
}

/** Share (0..1) of the text's letters that belong to one of the given scripts; null when it has no letters. */
export function scriptShare(text: string, scripts: readonly Script[]): number | null {
  let total = 0
  let hit = 0
  for (const [script, n] of scriptCounts(text)) {
    total += n
    if (scripts.includes(script)) hit += n
  }
  return total === 0 ? null : hit / total
}

/** The scripts a language is written in, by ISO 639 code (2 or 3 letters). Latin when unknown. */
const LANGUAGE_SCRIPTS: Record<string, Script[]> = {}
function define(codes: string, scripts: Script[]): void {
  for (const code of codes.split(' ')) LANGUAGE_SCRIPTS[code] = scripts
}
define('zh zho chi cmn yue wuu hak nan gan', ['Han'])
define('ja jpn', ['Han', 'Kana'])
define('ko kor', ['Hangul', 'Han'])
define('ru rus uk ukr be bel bg bul sr srp mk mkd kk kaz ky kir mn mon tg tgk', ['Cyrillic'])
define('el ell gre', ['Greek'])
define('ar ara fa fas per ur urd ps pus', ['Arabic'])
define('he heb yi yid', ['Hebrew'])
define('hi hin mr mar ne nep sa san', ['Devanagari'])
define('th tha', ['Thai'])

export function languageScripts(code: string): Script[] {
  return LANGUAGE_SCRIPTS[code.toLowerCase()] ?? ['Latin']
}

/** Languages are told apart by script only when their script sets do not overlap. */
export function scriptsDiffer(a: readonly Script[], b: readonly Script[]): boolean {
  return !a.some((s) => b.includes(s))
}
