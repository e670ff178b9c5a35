import {describe, expect, it} from 'vitest'

import {gateSettingsSchema, validateSettingsSchema, type GateDefinition} from '../../../src/core/schemas/config.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {readCanon} from '../../../src/core/canon/read.js'
import {validate} from '../../../src/core/validate/validate.js'
import {courseFrom, synthCourse} from '../../helpers/course.js'

const options = (gate: Partial<ReturnType<typeof gateSettingsSchema.parse>> = {}, settings: Partial<ReturnType<typeof validateSettingsSchema.parse>> = {}) => ({
  gate: gateSettingsSchema.parse(gate),
  validate: validateSettingsSchema.parse(settings),
})

/**
 *   S0001: vé(L01, mip) qó(L02, dax)                 sentence "vé qó" / "mip dax"
 *   S0002: tzá(L01, tor) vé(L02, not new) ñú(L03, pim)   sentence "tzá vé ñú" / "tor mip pim"
 */
const latinPairs = {
  seeds: [
    {seed_id: 'S0001', seed_pair: {known: 'mip dax', target: 'vé qó'}, legos: [
      {id: 'S0001L01', type: 'A', new: true, lego: {known: 'mip', target: 'vé'}},
      {id: 'S0001L02', type: 'A', new: true, lego: {known: 'dax', target: 'qó'}},
    ]},
    {seed_id: 'S0002', seed_pair: {known: 'tor mip pim', target: 'tzá vé ñú'}, legos: [
      {id: 'S0002L01', type: 'A', new: true, lego: {known: 'tor', target: 'tzá'}},
      {id: 'S0002L02', type: 'A', new: false, lego: {known: 'mip', target: 'vé'}},
      {id: 'S0002L03', type: 'A', new: true, lego: {known: 'pim', target: 'ñú'}},
    ]},
  ],
}

const basket = (id: string, lego: [string, string], phrases: Array<[string, string]>, isFinal: boolean) => ({
  [id]: {lego: {known: lego[0], target: lego[1]}, practice_phrases: phrases.map(([known, target]) => ({known, target})), is_final_lego: isFinal, phrase_count: phrases.length},
})

const cleanCanon = {
  ...basket('S0001L01', ['mip', 'vé'], [['mip', 'vé']], false),
  ...basket('S0001L02', ['dax', 'qó'], [['dax', 'qó'], ['mip dax', 'vé qó']], true),
  ...basket('S0002L01', ['tor', 'tzá'], [['tor', 'tzá'], ['tor mip', 'tzá vé']], false),
  ...basket('S0002L03', ['pim', 'ñú'], [['pim', 'ñú'], ['tor mip pim', 'tzá vé ñú']], true),
}

async function run(baskets: Record<string, unknown>, opts = options(), extra: Record<string, unknown> = {}) {
  const {course, canon} = await courseFrom('qtl_for_qkn', {'lego_pairs.json': latinPairs, 'lego_baskets.json': {baskets, ...extra}})
  return validate(course, canon, opts)
}

const found = (r: Awaited<ReturnType<typeof run>>, check?: string) => r.findings.filter((f) => !check || f.check === check).map((f) => [f.check, f.basket, f.phrase])

describe('validate checks', () => {
  it('passes a clean canon with no finding at all', async () => {
    const r = await run(cleanCanon)
    expect(r.findings).toEqual([])
    expect(r.passed).toBe(true)
    expect(r.counts).toMatchObject({baskets: 4, phrases: 7, errors: 0, warnings: 0, gateViolations: 0})
    expect(r.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['schema', 'coverage', 'overage', 'orphan', 'stray', 'empty-basket', 'phrase-count', 'containment', 'duplicate-phrase', 'final-sentence', 'derived-fields', 'lego-text', 'gate', 'leakage', 'swapped', 'blank', 'too-long']))
  })

  it('containment: a phrase without the LEGO', async () => {
    const r = await run({...cleanCanon, ...basket('S0001L02', ['dax', 'qó'], [['mip', 'vé'], ['mip dax', 'vé qó']], true)})
    expect(found(r)).toEqual([['containment', 'S0001L02', 0]])
    expect(r.passed).toBe(false)
  })

  it('duplicate-phrase: the same target twice, whatever the punctuation and case', async () => {
    const r = await run({...cleanCanon, ...basket('S0001L01', ['mip', 'vé'], [['mip', 'vé'], ['mip!', '¡Vé!']], false)})
    expect(found(r)).toEqual([['duplicate-phrase', 'S0001L01', 1]])
  })

  it('final-sentence: the final LEGO must end on the seed sentence', async () => {
    const r = await run({...cleanCanon, ...basket('S0001L02', ['dax', 'qó'], [['dax', 'qó']], true)})
    expect(found(r)).toEqual([['final-sentence', 'S0001L02', 0]])
    expect(r.findings[0]!.message).toContain('"vé qó"')
  })

  it('derived-fields: wrong or missing is_final_lego and phrase_count, stale total', async () => {
    const wrong = {S0001L01: {lego: {known: 'mip', target: 'vé'}, practice_phrases: [{known: 'mip', target: 'vé'}], is_final_lego: true, phrase_count: 3}}
    const missing = {S0002L01: {lego: {known: 'tor', target: 'tzá'}, practice_phrases: [{known: 'tor', target: 'tzá'}]}}
    const r = await run({...cleanCanon, ...wrong, ...missing}, options(), {metadata: {total_baskets: 2}})
    expect(found(r)).toEqual([
      ['derived-fields', null, null],
      ['derived-fields', 'S0001L01', null],
      ['derived-fields', 'S0001L01', null],
      ['derived-fields', 'S0002L01', null],
    ])
    expect(r.passed).toBe(true) // warnings only
    expect((await run({...cleanCanon, ...wrong}, options({}, {strict: true}))).passed).toBe(false)
  })

  it('lego-text: the basket\'s lego differs from lego_pairs', async () => {
    const r = await run({...cleanCanon, ...basket('S0001L01', ['mip', 'vē'], [['mip', 'vé']], false)})
    expect(found(r)).toEqual([['lego-text', 'S0001L01', null]])
  })

  it('gate: reports the words that are not available yet', async () => {
    const r = await run({...cleanCanon, ...basket('S0001L01', ['mip', 'vé'], [['mip', 'vé'], ['mip tor', 'vé tzá']], false)})
    expect(found(r)).toEqual([['gate', 'S0001L01', 1]])
    expect(r.findings[0]!.words).toEqual(['tzá'])
    expect(r.counts.gateViolations).toBe(1)
    expect(r.passed).toBe(false)
    // 1 of 8 phrases = 12.5%: allowed at 15%, not at 10%
    expect((await run({...cleanCanon, ...basket('S0001L01', ['mip', 'vé'], [['mip', 'vé'], ['mip tor', 'vé tzá']], false)}, options({}, {maxGateViolations: 15}))).passed).toBe(true)
    expect((await run({...cleanCanon, ...basket('S0001L01', ['mip', 'vé'], [['mip', 'vé'], ['mip tor', 'vé tzá']], false)}, options({}, {maxGateViolations: 10}))).passed).toBe(false)
  })

  it('blank and too-long', async () => {
    const long = Array.from({length: 16}, () => 'vé').join(' ')
    const r = await run({...cleanCanon, ...basket('S0001L01', ['mip', 'vé'], [['mip', 'vé'], ['', 'vé'], ['mip', long]], false)})
    expect(found(r)).toEqual([['blank', 'S0001L01', 1], ['too-long', 'S0001L01', 2]])
  })

  it('swapped: known and target exchanged, told by vocabulary when both use Latin script', async () => {
    const r = await run({...cleanCanon, ...basket('S0001L02', ['dax', 'qó'], [['qó', 'dax'], ['mip dax', 'vé qó']], true)})
    expect(found(r, 'swapped')).toEqual([['swapped', 'S0001L02', 0]])
  })

  it('phrase-count: 10 phrases in the 2-2-2-4 shape outside the first seeds', async () => {
    const r = await run(cleanCanon, options({}, {earlySeeds: 0}))
    expect(found(r, 'phrase-count').length).toBe(4)
    expect(r.findings[0]!.message).toMatch(/expected 10/)
    expect((await run(cleanCanon, options({}, {earlySeeds: 2}))).findings).toEqual([])
  })

  it('structure: coverage, overage, orphan, stray, empty-basket, schema', async () => {
    const r = await run(
      {
        ...basket('S0001L01', ['mip', 'vé'], [['mip', 'vé']], false),
        ...basket('S0002L02', ['mip', 'vé'], [['mip', 'vé']], false),
        ...basket('S0002L01', ['tor', 'tzá'], [], false),
        ...basket('S0007L01', ['x', 'y'], [['x', 'y']], false),
        S0001L02: {practice_phrases: [42]},
      },
      options(),
      {S0002L03: {practice_phrases: [{known: 'pim', target: 'ñú'}]}},
    )
    const checks = new Map(r.checks.map((c) => [c.id, c.count]))
    expect(Object.fromEntries(['coverage', 'overage', 'orphan', 'stray', 'empty-basket', 'schema'].map((id) => [id, checks.get(id as never)]))).toEqual({
      coverage: 3, // S0001L02 (only an unreadable phrase), S0002L01 (empty), S0002L03 (only a stray)
      overage: 1,
      orphan: 1,
      stray: 1,
      'empty-basket': 2,
      schema: 1,
    })
  })
})

describe('validate on a course whose scripts differ', () => {
  const hanPairs = {seeds: [{seed_id: 'S0001', seed_pair: {known: 'mip dax', target: '甲乙丙'}, legos: [
    {id: 'S0001L01', type: 'A', new: true, lego: {known: 'mip', target: '甲乙'}},
    {id: 'S0001L02', type: 'A', new: true, lego: {known: 'dax', target: '丙'}},
  ]}]}

  it('catches leaked (wrong-script) and swapped phrases by script', async () => {
    const {course, canon} = await courseFrom('cmn_for_qkn', {
      'lego_pairs.json': hanPairs,
      'lego_baskets.json': {baskets: {
        ...basket('S0001L01', ['mip', '甲乙'], [['mip', '甲乙'], ['甲乙', 'mip'], ['丙甲乙', '甲乙']], false),
        ...basket('S0001L02', ['dax', '丙'], [['dax', '丙'], ['dax mip', 'vé 丙 qó tzá'], ['mip dax', '甲乙丙']], true),
      }},
    })
    const r = validate(course, canon, options())
    expect(found(r, 'swapped')).toEqual([['swapped', 'S0001L01', 1]])
    expect(found(r, 'leakage')).toEqual([['leakage', 'S0001L01', 2], ['leakage', 'S0001L02', 1]])
  })
})

describe('validate on generated courses', () => {
  for (const definition of ['cumulative', 'window', 'strict', 'seed'] as GateDefinition[]) {
    it(`a clean generated canon has no finding under GATE ${definition}`, async () => {
      const synth = synthCourse({seed: 5, seeds: 30, canon: {fill: 1}})
      const course = await loadCourse(synth.dir)
      const r = validate(course, await readCanon(course.files.canon), options({definition}))
      expect(r.findings).toEqual([])
      expect(r.passed).toBe(true)
      expect(r.counts.phrases).toBe(synth.expected.phrases)
    })
  }

  it('counts planted GATE violations and swapped phrases exactly', async () => {
    const synth = synthCourse({seed: 9, seeds: 40, canon: {fill: 0.9, gateViolations: 17, swapped: 6, overage: 3, orphans: 2}})
    const course = await loadCourse(synth.dir)
    const r = validate(course, await readCanon(course.files.canon), options())
    expect(r.counts.gateViolations).toBe(17)
    expect(found(r, 'swapped')).toHaveLength(6)
    expect(found(r, 'overage')).toHaveLength(3)
    expect(found(r, 'orphan')).toHaveLength(2)
    // orphans are for no LEGO, so their phrases are not checked
    expect(r.counts.phrases).toBe(synth.expected.phrases)
  })

  it('plants GATE violations at a given rate', async () => {
    const synth = synthCourse({seed: 12, seeds: 40, canon: {fill: 1, gateViolationRate: 0.05}})
    const course = await loadCourse(synth.dir)
    const r = validate(course, await readCanon(course.files.canon), options())
    expect(r.counts.gateViolations).toBe(synth.expected.gateViolations)
    expect(r.counts.gateViolationRate).toBeCloseTo(5, 0)
  })

  it('counts planted leakage in a Chinese-target course', async () => {
    const synth = synthCourse({seed: 4, seeds: 30, script: 'han', canon: {fill: 1, leakage: 9}})
    const course = await loadCourse(synth.dir)
    const r = validate(course, await readCanon(course.files.canon), options())
    expect(found(r, 'leakage')).toHaveLength(9)
    expect(r.counts.gateViolations).toBe(0)
  })
})
