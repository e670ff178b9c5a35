/**
 * Why a word of a phrase is available (or not): `validate --json` reports one rule per word of a
 * GATE finding, so a user can argue with it. Entries of the vocabulary carry the rule of the
 * source that taught them; `elision` and `mutation` are decided when a phrase word is not itself
 * vocabulary.
 */
export const GATE_RULES = ['whole-lego', 'word', 'frame', 'component', 'segment', 'elision', 'sentence', 'mutation'] as const
export type GateRule = (typeof GATE_RULES)[number]

/**
 * Code of a rule, packed with the position that teaches an entry as `position * 8 + code`: the
 * smallest packed value is then the earliest source, and at one position the rule listed first.
 */
export const RULE_CODE = Object.fromEntries(GATE_RULES.map((r, i) => [r, i])) as Record<GateRule, number>

export const pack = (at: number, rule: GateRule): number => at * 8 + RULE_CODE[rule]
export const unpackAt = (value: number): number => Math.floor(value / 8)
export const unpackRule = (value: number): GateRule => GATE_RULES[value % 8]!

/** One word of a phrase as GATE saw it: a spaced word, a run of unspaced script, or a chunk. */
export interface CoveredWord {
  word: string
  /** null: not available at this LEGO */
  rule: GateRule | null
}
