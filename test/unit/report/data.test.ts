import {describe, expect, it} from 'vitest'

import {runDetect} from '../../../src/core/detect/run.js'
import {reportData} from '../../../src/core/report/data.js'
import {GATE_DEFINITIONS} from '../../../src/core/schemas/gate-definitions.js'
import {reportDataSchema} from '../../../src/core/schemas/report.js'
import {runValidate} from '../../../src/core/validate/run.js'
import {gateRates} from '../../../src/core/validate/gate-rates.js'
import {validate} from '../../../src/core/validate/validate.js'
import {gateSettingsSchema, validateSettingsSchema} from '../../../src/core/schemas/config.js'
import {courseFrom, synthCourse} from '../../helpers/course.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {readCanon} from '../../../src/core/canon/read.js'

/**
 * An invented course (positions in brackets):
 *   S0001 "ñam velú zorí": ñam [0], velú [1]              (zorí is only in the sentence)
 *   S0002 "quéso bon díaz": quéso [2], bon díaz [3] (M: bon + díaz)
 *   S0003 "tzá vrí": tzá [4], ñam [5, not new], vrí [6]
 *   S0004 "ñam": ñam [7, not new]                          (no new LEGO)
 * Canon: ñam and velú filled (velú's second phrase lacks it and is not the sentence), quéso
 * missing, bon díaz empty, tzá only at the top level (stray), an overage basket for S0003L02, and
 * vrí with six phrases that the four GATE definitions judge differently (window 1 seed, no recent LEGOs):
 *   phrase              cumulative window strict seed
 *   vrí                  ok        ok     ok     ok
 *   vrí velú             ok        ✗      ok     ok     velú is two seeds back
 *   vrí díaz             ok        ok     ✗      ok     a component, not a chunk
 *   vrí zorí             ✗         ✗      ✗      ok     a sentence word of S0001
 *   vrí glim             ✗         ✗      ✗      ✗      in no seed
 *   vrí bon díaz velú    ok        ✗      ok     ok     tiles from chunks
 * 10 phrases in all (1 + 2 + 0 + 1 + 6): rates 20%, 40%, 30%, 10%.
 */
const lego = (id: string, known: string, target: string, isNew = true, extra: object = {}) => ({id, type: 'A', new: isNew, lego: {known, target}, ...extra})
const legoPairs = {
  seeds: [
    {seed_id: 'S0001', seed_pair: {known: 'mip dax zup', target: 'ñam velú zorí'}, legos: [lego('S0001L01', 'mip', 'ñam'), lego('S0001L02', 'dax', 'velú')]},
    {seed_id: 'S0002', seed_pair: {known: 'tor bo dee', target: 'quéso bon díaz'}, legos: [lego('S0002L01', 'tor', 'quéso'), {...lego('S0002L03', 'bo dee', 'bon díaz'), type: 'M', components: [{known: 'bo', target: 'bon'}, {known: 'dee', target: 'díaz'}]}]},
    {seed_id: 'S0003', seed_pair: {known: 'pim mip wim', target: 'tzá ñam vrí'}, legos: [lego('S0003L01', 'pim', 'tzá'), lego('S0003L02', 'mip', 'ñam', false), lego('S0003L03', 'wim', 'vrí')]},
    {seed_id: 'S0004', seed_pair: {known: 'mip', target: 'ñam'}, legos: [lego('S0004L01', 'mip', 'ñam', false)]},
  ],
}
const basket = (known: string, target: string, phrases: Array<[string, string]>, isFinal: boolean) => ({lego: {known, target}, practice_phrases: phrases.map(([k, t]) => ({known: k, target: t})), is_final_lego: isFinal, phrase_count: phrases.length})
const canon = {
  version: '1',
  course: 'qtl_for_qkn',
  baskets: {
    S0001L01: basket('mip', 'ñam', [['mip', 'ñam']], false),
    S0001L02: basket('dax', 'velú', [['dax', 'velú'], ['mip', 'ñam']], true),
    S0002L03: basket('bo dee', 'bon díaz', [], true),
    S0003L02: basket('mip', 'ñam', [['mip', 'ñam']], false),
    S0003L03: basket('wim', 'vrí', [['wim', 'vrí'], ['wim dax', 'vrí velú'], ['wim dee', 'vrí díaz'], ['wim zup', 'vrí zorí'], ['wim gol', 'vrí glim'], ['wim bo dee dax', 'vrí bon díaz velú']], true),
  },
  S0003L01: basket('pim', 'tzá', [['pim', 'tzá']], false),
}
const gate = {windowSeeds: 1, recentNewLegos: 0}

describe('report data', async () => {
  const {dir} = await courseFrom('qtl_for_qkn', {'lego_pairs.json': legoPairs, 'lego_baskets.json': canon})
  const options = {course: dir, cwd: dir, gate}
  const {data} = await reportData(options)

  it('checks against its own schema', () => {
    expect(reportDataSchema.parse(data)).toEqual(data)
    expect(data).toMatchObject({kind: 'wicker/report-data', version: 1, course: 'qtl_for_qkn'})
  })

  it('embeds the headline numbers exactly as detect and validate give them', async () => {
    const detected = (await runDetect({course: dir, cwd: dir})).result
    const validated = (await runValidate(options)).result
    expect(data.detect).toEqual({counts: detected.counts, coverage: detected.coverage})
    expect(data.validate).toEqual({gate: validated.gate, passed: validated.passed, verdict: validated.verdict, verdictReasons: validated.verdictReasons, counts: validated.counts})
    expect(data.checks).toEqual(validated.checks)
    // the course's numbers, by hand: 6 new LEGOs, 3 with a usable basket (ñam, velú, vrí)
    expect(data.detect.counts).toMatchObject({needed: 6, present: 3, missing: 3, empty: 1, overage: 1, strays: 1})
  })

  it('has one entry per seed, in course order, with each LEGO in the state detect gives it', () => {
    expect(data.seeds.map((s) => s.id)).toEqual(['S0001', 'S0002', 'S0003', 'S0004'])
    expect(data.seeds.map((s) => s.legos.map(([id, state]) => [id, state]))).toEqual([
      [['S0001L01', 'ok'], ['S0001L02', 'ok']],
      [['S0002L01', 'missing'], ['S0002L03', 'empty']],
      [['S0003L01', 'stray'], ['S0003L02', 'overage'], ['S0003L03', 'ok']],
      // S0004L01 is new: false with no basket (recycled, as it should be): not part of the seed's coverage
      [],
    ])
    expect(data.seeds[1]!.legos[1]).toEqual(['S0002L03', 'empty', 'bon díaz', {coverage: 1, 'empty-basket': 1}])
    expect(data.seeds[0]!.legos[0]).toEqual(['S0001L01', 'ok'])
    expect(data.seeds[1]!.legos[0]).toEqual(['S0002L01', 'missing', 'quéso', {coverage: 1}])
  })

  it('colours each seed by the share of its new LEGOs with a usable basket (none for a seed with no new LEGO)', () => {
    expect(data.seeds.map((s) => [s.needed, s.present, s.share])).toEqual([
      [2, 2, 1],
      [2, 0, 0],
      [2, 1, 0.5],
      [0, 0, null],
    ])
  })

  it('counts the findings of each LEGO basket per check, and per seed', () => {
    const velu = data.seeds[0]!.legos[1]!
    expect(velu[3]).toEqual({containment: 1, 'final-sentence': 1})
    expect(data.seeds[0]!.legos[0]![3]).toBeUndefined()
    // vrí: two GATE findings under cumulative (zorí, glim), and its last phrase is not the sentence
    expect(data.seeds[2]!.legos[2]![3]).toEqual({gate: 2, 'final-sentence': 1})
    // S0002: coverage (warning) for quéso and for bon díaz, whose basket is also empty (error);
    // S0003: tzá coverage + stray, the overage basket, vrí's final sentence and two GATE findings
    expect(data.seeds[1]!.legos.map((l) => l[3])).toEqual([{coverage: 1}, {coverage: 1, 'empty-basket': 1}])
    expect(data.seeds.map((s) => [s.findings, s.errors])).toEqual([[2, 2], [3, 1], [6, 5], [0, 0]])
  })

  it('gives the GATE rate under all four definitions, as validate --gate gives each', async () => {
    expect(data.gate.definitions).toEqual([...GATE_DEFINITIONS])
    expect(data.gate.rates.map((r) => [r.definition, r.violations, r.phrases, r.rate])).toEqual([
      ['cumulative', 2, 10, 20],
      ['window', 4, 10, 40],
      ['strict', 3, 10, 30],
      ['seed', 1, 10, 10],
    ])
    for (const definition of GATE_DEFINITIONS) {
      const validated = (await runValidate({...options, gate: {...gate, definition}})).result
      const rate = data.gate.rates.find((r) => r.definition === definition)!
      expect([rate.violations, rate.rate]).toEqual([validated.counts.gateViolations, validated.counts.gateViolationRate])
    }
  })

  it('gives the same rates whichever definition validate used (its own findings stand in for a GATE pass)', async () => {
    for (const definition of GATE_DEFINITIONS) {
      const other = (await reportData({...options, gate: {...gate, definition}})).data
      expect([other.gate.definition, other.gate.rates, other.seeds.map((s) => s.gateViolations)]).toEqual([definition, data.gate.rates, data.seeds.map((s) => s.gateViolations)])
    }
  })

  it('gives each seed its phrases and its GATE violations per definition', () => {
    expect(data.seeds.map((s) => [s.phrases, s.gateViolations])).toEqual([
      [3, [0, 0, 0, 0]],
      [0, [0, 0, 0, 0]],
      [7, [2, 4, 3, 1]],
      [0, [0, 0, 0, 0]],
    ])
  })

  it('lists the worst baskets with what to highlight in each phrase', () => {
    expect(data.worst.map((w) => w.basket)).toEqual(expect.arrayContaining(['S0001L02', 'S0003L03']))
    const velu = data.worst.find((w) => w.basket === 'S0001L02')!
    expect(velu.phrases[1]).toMatchObject({index: 1, known: 'mip', target: 'ñam'})
    expect(velu.phrases[1]!.findings.find((f) => f.check === 'containment')).toMatchObject({severity: 'error', missing: 'velú'})
    const vri = data.worst.find((w) => w.basket === 'S0003L03')!
    expect(vri.phrases.map((p) => p.findings.flatMap((f) => f.words ?? []))).toEqual([[], [], [], ['zorí'], ['glim'], []])
    // errors weigh more: the basket-level warning alone ranks below both
    const scores = data.worst.map((w) => w.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })
})

describe('GATE under every definition at once', () => {
  it('skips what validate skips (swapped phrases, blank sides) and counts what it counts, on a generated course', async () => {
    const synth = synthCourse({seed: 9, seeds: 40, canon: {fill: 0.9, gateViolations: 17, swapped: 6}})
    const course = await loadCourse(synth.dir)
    const canon = await readCanon(course.files.canon)
    const settings = gateSettingsSchema.parse({})
    const rates = gateRates(course, canon, settings)
    for (const [i, definition] of GATE_DEFINITIONS.entries()) {
      const validated = validate(course, canon, {gate: {...settings, definition}, validate: validateSettingsSchema.parse({})})
      expect([definition, rates.phrases, rates.violations[i]]).toEqual([definition, validated.counts.phrases, validated.counts.gateViolations])
    }
    expect(rates.violations[0]).toBe(17)
  })
})

describe('worst baskets on a course with wrong-language phrases', () => {
  it('names the side in the wrong script, for the HTML to highlight', async () => {
    const synth = synthCourse({seed: 2, seeds: 30, script: 'han', code: 'cmn_for_eng', canon: {fill: 0.9, leakage: 4}})
    const {data} = await reportData({course: synth.dir, cwd: synth.dir, worst: 100})
    const leaks = data.worst.flatMap((w) => w.phrases.flatMap((p) => p.findings.filter((f) => f.check === 'leakage')))
    expect(leaks).toHaveLength(4)
    expect(leaks.map((f) => f.side)).toEqual(['known', 'known', 'known', 'known'])
  })
})
