/**
 * Elision and contractions: where a language elides, a word written with an apostrophe is a
 * clitic and a bare word (`l'ami` = l' + ami, `don't` = do + n't), so a learner who knows `ami`
 * and `le` (or `l'` from `l'eau`) knows `l'ami`. One table per language, extendable in config
 * (`gate.elision`). Keys say where the word attaches:
 *   `l'-`   a clitic before a word (French l'ami), values: the full forms it stands for;
 *   `-'s`   a clitic after a word (English it's, Catalan porta'l);
 *   `can't` a whole contracted word, values: its expansions in words ("can not").
 * A clitic is known when it is itself vocabulary or all words of one of its full forms are.
 */
import {fold} from './normalize.js'

export type ElisionTable = Record<string, string[]>

const FRENCH: ElisionTable = {
  "l'-": ['le', 'la'], "d'-": ['de'], "j'-": ['je'], "m'-": ['me'], "t'-": ['te'], "s'-": ['se', 'si'], "n'-": ['ne'], "c'-": ['ce'],
  "qu'-": ['que'], "jusqu'-": ['jusque'], "lorsqu'-": ['lorsque'], "puisqu'-": ['puisque'], "quoiqu'-": ['quoique'],
}
const ITALIAN: ElisionTable = {
  "l'-": ['lo', 'la'], "un'-": ['una'], "d'-": ['di'], "c'-": ['ci'], "n'-": ['ne'], "m'-": ['mi'], "t'-": ['ti'], "s'-": ['si'], "v'-": ['vi'],
  "dell'-": ['dello', 'della'], "all'-": ['allo', 'alla'], "dall'-": ['dallo', 'dalla'], "nell'-": ['nello', 'nella'], "sull'-": ['sullo', 'sulla'],
  "quest'-": ['questo', 'questa'], "quell'-": ['quello', 'quella'], "buon'-": ['buona'], "com'-": ['come'], "dov'-": ['dove'], "cos'-": ['cosa'],
}
const CATALAN: ElisionTable = {
  "l'-": ['el', 'la'], "d'-": ['de'], "m'-": ['em', 'me'], "t'-": ['et', 'te'], "s'-": ['es', 'se'], "n'-": ['en', 'ne'],
  "-'l": ['el'], "-'ls": ['els'], "-'m": ['em'], "-'n": ['en'], "-'ns": ['ens'], "-'s": ['es'], "-'t": ['et'],
}
const ENGLISH: ElisionTable = {
  "-'s": ['is', 'has', 'us'], "-'re": ['are'], "-'ve": ['have'], "-'ll": ['will'], "-'d": ['would', 'had'], "-'m": ['am'], "-n't": ['not'],
  "can't": ['can not'], "won't": ['will not'], "shan't": ['shall not'], "ain't": ['am not', 'is not', 'are not'],
}

/** Built-in tables by ISO 639 code (3 letters and 2). */
export const ELISION_TABLES: Record<string, ElisionTable> = {fra: FRENCH, fre: FRENCH, fr: FRENCH, ita: ITALIAN, it: ITALIAN, cat: CATALAN, ca: CATALAN, eng: ENGLISH, en: ENGLISH}

/** A config key: `x'-`, `-'x` or a whole word with an apostrophe inside (no spaces). */
export const ELISION_KEY = /^(?:[^\s'-][^\s-]*'-|-[^\s-]*'[^\s-]*|[^\s-]*[^\s'-]'[^\s'-][^\s-]*)$/u

export interface ElisionRules {
  before: Map<string, string[][]>
  after: Map<string, string[][]>
  whole: Map<string, string[][]>
  /** longest clitic, in characters: bounds the prefix and suffix search */
  longest: number
}

/** A word split at its apostrophe: each piece, with the full forms a clitic piece stands for. */
export interface ElisionPiece {
  text: string
  /** null for the bare word; alternatives (each a list of words) for a clitic */
  forms: string[][] | null
}

/** The rules for a language: the built-in table with the config's entries over it; null when it does not elide. */
export function elisionRules(language: string | null, extra: Record<string, ElisionTable> = {}): ElisionRules | null {
  const code = language?.toLowerCase() ?? ''
  const table = {...ELISION_TABLES[code], ...extra[code]}
  const keys = Object.keys(table)
  if (keys.length === 0) return null
  const rules: ElisionRules = {before: new Map(), after: new Map(), whole: new Map(), longest: 0}
  for (const rawKey of keys) {
    const key = fold(rawKey)
    const forms = table[rawKey]!.map((f) => fold(f).split(/\s+/u).filter(Boolean)).filter((f) => f.length > 0)
    if (key.endsWith("'-")) rules.before.set(key.slice(0, -1), forms)
    else if (key.startsWith('-')) rules.after.set(key.slice(1), forms)
    else rules.whole.set(key, forms)
    rules.longest = Math.max(rules.longest, key.length)
  }
  return rules
}

/** A folded word split into clitics and its bare word; null when no rule applies. */
export function splitElision(word: string, rules: ElisionRules): ElisionPiece[] | null {
  if (!word.includes("'")) return null
  const whole = rules.whole.get(word)
  if (whole) return [{text: word, forms: whole}]
  let rest = word
  const head: ElisionPiece[] = []
  const tail: ElisionPiece[] = []
  for (let n = Math.min(rules.longest, rest.length - 1); n >= 2; n--) {
    const forms = rules.before.get(rest.slice(0, n))
    if (forms) {
      head.push({text: rest.slice(0, n), forms})
      rest = rest.slice(n)
      break
    }
  }
  for (let n = Math.min(rules.longest, rest.length - 1); n >= 2; n--) {
    const forms = rules.after.get(rest.slice(-n))
    if (forms) {
      tail.push({text: rest.slice(-n), forms})
      rest = rest.slice(0, -n)
      break
    }
  }
  if (head.length + tail.length === 0 || rest === '') return null
  return [...head, {text: rest, forms: null}, ...tail]
}
