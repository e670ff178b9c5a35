/**
 * Initial mutations of the Celtic languages: the first sound of a word changes after certain
 * words (Breton ki "dog", ar c'hi "the dog"; Welsh cath, ei gath). GATE treats a word as known
 * when one of its de-mutated (radical) forms is: `radicals("c'hi", 'bre')` includes "ki". The
 * tables list, per language, the mutated initial and the radical initials it can come from;
 * an empty side means a letter added or dropped before a vowel.
 */
/** [mutated initial, radical initials, what must follow (for a letter added or dropped)] */
type Rule = [mutated: string, radicals: string[], before?: RegExp]

const VOWEL = /^[aeiouyàáâäèéêëìíîïòóôöùúûüẁẃŵÿýŷ]/u
/** Welsh soft mutation drops g before a vowel and before l, r, w (glaw → law). */
const WELSH_G_DROP = /^[aeiouyâêîôûŵŷlrw]/u

const BRETON: Rule[] = [
  // soft (lenition), spirant, hard (provection); mixed adds nothing new
  ['g', ['k']], ['d', ['t']], ['b', ['p']], ["c'h", ['g', 'k']], ['w', ['gw']], ['v', ['b', 'm']], ['z', ['d', 't']], ['f', ['p']],
  ['p', ['b']], ['t', ['d']], ['k', ['g']], ['kw', ['gw']],
]
const WELSH: Rule[] = [
  // soft
  ['b', ['p']], ['d', ['t']], ['g', ['c']], ['f', ['b', 'm']], ['dd', ['d']], ['l', ['ll']], ['r', ['rh']], ['', ['g'], WELSH_G_DROP],
  // nasal
  ['mh', ['p']], ['nh', ['t']], ['ngh', ['c']], ['m', ['b']], ['n', ['d']], ['ng', ['g']],
  // aspirate, and h before a vowel
  ['ph', ['p']], ['th', ['t']], ['ch', ['c']], ['h', [''], VOWEL],
]
const LENITION: Rule[] = ['b', 'c', 'd', 'f', 'g', 'm', 'p', 's', 't'].map((c) => [`${c}h`, [c]])
const IRISH: Rule[] = [
  ...LENITION,
  // eclipsis, t- and h- before vowels, t before s
  ['mb', ['b']], ['gc', ['c']], ['nd', ['d']], ['bhf', ['f']], ['ng', ['g']], ['bp', ['p']], ['dt', ['t']], ['n', [''], VOWEL], ['t', [''], VOWEL], ['h', [''], VOWEL], ['ts', ['s']],
]
const GAELIC: Rule[] = [...LENITION, ['t', [''], VOWEL], ['h', [''], VOWEL], ['n', [''], VOWEL], ['ts', ['s']]]

export interface MutationRules {
  rules: Rule[]
  /** letters written before a hyphen as part of a mutation (Irish n-athair, an t-uisce, na h-oifige) */
  particles: Set<string>
}

const TABLES: Record<string, MutationRules> = {}
function define(codes: string, rules: Rule[], particles: string[] = []): void {
  for (const code of codes.split(' ')) TABLES[code] = {rules, particles: new Set(particles)}
}
define('bre br', BRETON)
define('cym wel cy', WELSH)
define('gle ga', IRISH, ['n', 't', 'h'])
define('gla gd', GAELIC, ['n', 't', 'h'])

/** The mutation rules of a language; null for a language without initial mutations. */
export function mutationRules(language: string | null): MutationRules | null {
  return TABLES[language?.toLowerCase() ?? ''] ?? null
}

/** Radical forms a folded word may be a mutation of (never the word itself). */
export function radicals(word: string, rules: MutationRules): string[] {
  const out: string[] = []
  for (const [mutated, from, before] of rules.rules) {
    if (!word.startsWith(mutated) || word.length <= mutated.length) continue
    const rest = word.slice(mutated.length)
    if (before && !before.test(rest)) continue
    for (const radical of from) {
      const candidate = radical + rest
      if (candidate !== word && !out.includes(candidate)) out.push(candidate)
    }
  }
  return out
}
