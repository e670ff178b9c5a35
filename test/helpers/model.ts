import type {Course, Lego, Seed, TextPair} from '../../src/core/course/model.js'

/** A LEGO as a test writes it: its target, and optionally its known side and components' targets. */
export type LegoSpec = string | {target: string; known?: string; components?: string[]; isNew?: boolean}

/**
 * A Course model built in memory, for tokeniser and GATE tests that need no disk. Seeds are
 * S0001…, LEGOs S0001L01…, in the order given; the code's leading `<target>_for_<known>` sets the languages.
 */
export function courseModel(code: string, seeds: Array<{target?: string; legos: LegoSpec[]}>): Course {
  const legos: Lego[] = []
  const built: Seed[] = seeds.map((spec, s) => {
    const id = `S${String(s + 1).padStart(4, '0')}`
    const seed: Seed = {id, index: s, known: '', target: '', legos: []}
    spec.legos.forEach((raw, i) => {
      const l = typeof raw === 'string' ? {target: raw} : raw
      const components: TextPair[] = (l.components ?? []).map((target) => ({known: `k${target}`, target}))
      const lego: Lego = {id: `${id}L${String(i + 1).padStart(2, '0')}`, seedId: id, position: legos.length, indexInSeed: i, type: components.length > 0 ? 'M' : 'A', isNew: l.isNew ?? true, known: l.known ?? `k${i}`, target: l.target, components, isFinal: i === spec.legos.length - 1}
      seed.legos.push(lego)
      legos.push(lego)
    })
    seed.target = spec.target ?? seed.legos.map((l) => l.target).join(' ')
    return seed
  })
  const [, target, known] = /^([a-z]+)_for_([a-z]+)/.exec(code) ?? []
  return {
    code,
    dir: '',
    knownLanguage: known ?? null,
    targetLanguage: target ?? null,
    files: {legoPairs: '', seedPairs: null, canon: ''},
    shape: 'LP-A',
    seeds: built,
    legos,
    legoById: new Map(legos.map((l) => [l.id, l])),
    orientation: {arrays: false, order: null, method: 'labelled', evidence: '', votes: null, tried: []},
    legoPairsBaskets: [],
    findings: [],
  }
}
