/**
 * A two-seed course for validate's verdict: a clean canon (7 phrases, no finding) and switches
 * that add findings one check at a time, so each verdict and each limit can be reached exactly.
 *   S0001: bró(L01, fen) klú(L02, gar)     sentence "bró klú" / "fen gar"
 *   S0002: zim(L01, hol) dáv(L02, wex)     sentence "zim dáv" / "hol wex"
 */
export const VERDICT_CODE = 'qvb_for_qkw'

export const verdictPairs = {
  seeds: [
    {seed_id: 'S0001', seed_pair: {known: 'fen gar', target: 'bró klú'}, legos: [
      {id: 'S0001L01', type: 'A', new: true, lego: {known: 'fen', target: 'bró'}},
      {id: 'S0001L02', type: 'A', new: true, lego: {known: 'gar', target: 'klú'}},
    ]},
    {seed_id: 'S0002', seed_pair: {known: 'hol wex', target: 'zim dáv'}, legos: [
      {id: 'S0002L01', type: 'A', new: true, lego: {known: 'hol', target: 'zim'}},
      {id: 'S0002L02', type: 'A', new: true, lego: {known: 'wex', target: 'dáv'}},
    ]},
  ],
}

type Pair = [known: string, target: string]
const basket = (lego: Pair, phrases: Pair[], isFinal: boolean) => ({
  lego: {known: lego[0], target: lego[1]},
  practice_phrases: phrases.map(([known, target]) => ({known, target})),
  is_final_lego: isFinal,
  phrase_count: phrases.length,
})

export interface VerdictCanonOptions {
  /** baskets (0–4) whose lego text differs from lego_pairs: one lego-text warning each */
  legoText?: number
  /** S0001L02's first phrase lacks its LEGO: one containment error */
  containment?: boolean
  /** S0001L01 gains a phrase with a word of a later seed: 1 GATE violation in 8 phrases (12.5%) */
  gate?: boolean
  /** known text of the lego-text baskets (hostile text for the reporters) */
  legoKnown?: string
  /** target of the phrase that breaks containment (hostile text for the reporters) */
  containmentTarget?: string
}

export function verdictCanon(options: VerdictCanonOptions = {}) {
  const legos: Array<[string, Pair]> = [['S0001L01', ['fen', 'bró']], ['S0001L02', ['gar', 'klú']], ['S0002L01', ['hol', 'zim']], ['S0002L02', ['wex', 'dáv']]]
  const phrases: Record<string, Pair[]> = {
    S0001L01: [['fen', 'bró'], ...(options.gate ? [['fen hol', 'bró zim'] as Pair] : [])],
    S0001L02: [options.containment ? ['fen', options.containmentTarget ?? 'bró'] : ['gar', 'klú'], ['fen gar', 'bró klú']],
    S0002L01: [['hol', 'zim'], ['fen hol', 'bró zim']],
    S0002L02: [['wex', 'dáv'], ['hol wex', 'zim dáv']],
  }
  const baskets = Object.fromEntries(
    legos.map(([id, lego], i) => [id, basket(i < (options.legoText ?? 0) ? [options.legoKnown ?? `${lego[0]}o`, lego[1]] : lego, phrases[id]!, id.endsWith('L02'))]),
  )
  return {course: VERDICT_CODE, baskets}
}
