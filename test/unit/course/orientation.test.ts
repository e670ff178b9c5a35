import {describe, expect, it} from 'vitest'

import type {TextPair} from '../../../src/core/course/model.js'
import {resolveOrientation, type OrientationInputs} from '../../../src/core/course/orientation.js'
import {readRawCourse} from '../../../src/core/course/raw-shapes.js'
import {UsageError} from '../../../src/core/errors.js'

/** Orientation from the data alone: no disk (canon and staging evidence are passed in as maps). */
const none: OrientationInputs = {option: null, seedPairs: null, knownLanguage: 'qkn', targetLanguage: 'qtl'}
const decide = (file: unknown, inputs: Partial<OrientationInputs> = {}) => resolveOrientation(readRawCourse(file, 'lego_pairs.json'), {...none, ...inputs}, 'lego_pairs.json')
const map = (entries: Record<string, [string, string]>) => async () => new Map<string, TextPair>(Object.entries(entries).map(([id, [known, target]]) => [id, {known, target}]))

/** A fully labelled LP-A course whose only arrays are components, [known, target] in all but `flipped` of them. */
function labelledWithComponents(count: number, flipped: number) {
  const legos = Array.from({length: count}, (_, i) => {
    const [k1, k2, t1, t2] = [`mip${i}`, `dax${i}`, `vé${i}`, `qó${i}`]
    const comps = i < flipped ? [[t1, k1], [t2, k2]] : [[k1, t1], [k2, t2]]
    return {id: `S0001L${String(i + 1).padStart(2, '0')}`, type: 'M', new: true, lego: {known: `${k1} ${k2}`, target: `${t1} ${t2}`}, components: comps.slice(0, 1)}
  })
  return {seeds: [{seed_id: 'S0001', seed_pair: {known: 'zor', target: 'wib'}, legos}]}
}

describe('orientation: evidence in the order of its strength', () => {
  it('decides from components against their own LEGO\'s labelled text, and says how strongly', async () => {
    // 52 components: 51 inside their LEGO as [known, target], 1 the other way round
    const decision = await decide(labelledWithComponents(52, 1))
    expect(decision).toMatchObject({arrays: true, order: 'known-target', method: 'same-file', votes: {agree: 51, of: 52}})
    expect(decision.evidence).toBe('labelled text in lego_pairs.json: 51 of 52 components read as [known, target]')
  })

  it('stops judging once it has enough pairs, and says so', async () => {
    const decision = await decide(labelledWithComponents(5100, 0))
    expect(decision).toMatchObject({order: 'known-target', votes: {agree: 5000, of: 5000}})
    expect(decision.evidence).toBe('labelled text in lego_pairs.json: 5000 of 5000 components read as [known, target] (judging stopped after 5000 pairs: enough to decide)')
  })

  it('reads the same file before seed_pairs.json, and seed_pairs.json before the canon', async () => {
    const file = {seeds: [['S0001', ['vé qó', 'mip dax'], [['S0001L01', 'A', 'vé', 'mip']]]]}
    const seedPairs = new Map([['S0001', {known: 'mip dax', target: 'vé qó'}]])
    // the canon says the opposite: the stronger evidence wins
    const byPairs = await decide(file, {seedPairs, canonLegos: map({S0001L01: ['vé', 'mip']})})
    expect(byPairs).toMatchObject({order: 'target-known', method: 'seed-pairs', votes: {agree: 2, of: 2}})
    expect(byPairs.evidence).toBe('seed_pairs.json: 1 of 1 seed sentences, 1 of 1 LEGOs read as [target, known]')
  })

  it('loads a compact same-script course from the canon\'s labelled LEGO text, without a flag', async () => {
    for (const [file, label] of [
      [{seeds: [['S0001', ['vé qó', 'mip dax'], [['S0001L01', 'A', 'vé', 'mip'], ['S0001L02', 'A', 'qó', 'dax']]]]}, 'LP-C'],
      [[['S0001', ['vé qó', 'mip dax'], [['S0001L01', 'A', 'vé', 'mip'], ['S0001L02', 'A', 'qó', 'dax']]]], 'LP-D'],
      [{S0001: {seed_pair: ['vé qó', 'mip dax'], lego_pairs: [{lego_id: 'S0001L01', lego_pair: ['vé', 'mip'], type: 'A'}, {lego_id: 'S0001L02', lego_pair: ['qó', 'dax'], type: 'A'}]}}, 'LP-E'],
    ] as const) {
      const canonLegos = map({S0001L01: ['mip', 'vé'], S0001L02: ['dax', 'qó']})
      const decision = await decide(file, {canonLegos})
      expect(decision, label).toMatchObject({order: 'target-known', method: 'canon', votes: {agree: 2, of: 2}})
      expect(decision.tried, label).toEqual(['labelled text in lego_pairs.json did not decide (no pair could be compared)', 'there is no labelled seed_pairs.json'])
    }
  })

  it('falls back to labelled staging baskets, asked for only when the canon did not decide', async () => {
    const file = {seeds: [['S0001', ['mip', 'vé'], [['S0001L01', 'A', 'mip', 'vé']]]]}
    let asked = 0
    const stagingLegos = async () => {
      asked++
      return new Map([['S0001L01', {known: 'mip', target: 'vé'}]])
    }
    expect(await decide(file, {canonLegos: map({}), stagingLegos})).toMatchObject({order: 'known-target', method: 'staging'})
    expect(asked).toBe(1)
    await decide(file, {canonLegos: map({S0001L01: ['mip', 'vé']}), stagingLegos})
    expect(asked).toBe(1)
  })

  it('uses script last, where the languages are written differently', async () => {
    const decision = await decide({seeds: [['S0001', ['甲乙', 'mip dax'], [['S0001L01', 'A', '甲', 'mip']]]]}, {targetLanguage: 'cmn'})
    expect(decision).toMatchObject({order: 'target-known', method: 'script', votes: {agree: 2, of: 2}})
  })

  it('does not decide on a split vote', async () => {
    // 5 components each way: not the 90% a decision needs
    const error = await decide(labelledWithComponents(10, 5)).catch((e) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect(error.code).toBe('E_ORIENTATION')
    expect(error.message).toContain('components: 5 as [known, target], 5 as [target, known]')
  })
})

describe('orientation: when nothing decides, and flags', () => {
  it('names the file and the JSON paths of the first arrays when nothing decides', async () => {
    const error = await decide({seeds: [['S0001', ['vé', 'mip'], [['S0001L01', 'A', 'vé', 'mip']]]]}).catch((e) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect(error.code).toBe('E_ORIENTATION')
    expect(error.message).toContain('lego_pairs.json')
    expect(error.message).toContain('first arrays: $.seeds[0][1] ["vé","mip"], $.seeds[0][2][0] ["vé","mip"]')
    expect(error.details.firstArrays).toEqual(['$.seeds[0][1]', '$.seeds[0][2][0]'])
  })

  it('names LP-E and labelled-file paths as they are written', async () => {
    const lpe = await decide({S0001: {seed_pair: ['vé', 'mip'], lego_pairs: [{lego_id: 'S0001L01', lego_pair: ['vé', 'mip']}]}}).catch((e) => e)
    expect(lpe.details.firstArrays).toEqual(['$.S0001.seed_pair', '$.S0001.lego_pairs[0].lego_pair'])
    const lpa = await decide({seeds: [{seed_id: 'S0001', seed_pair: ['vé', 'mip'], legos: [{id: 'S0001L01', type: 'M', new: true, lego: ['vé', 'mip'], components: [['vé', 'mip']]}]}]}).catch((e) => e)
    expect(lpa.details.firstArrays).toEqual(['$.seeds[0].seed_pair', '$.seeds[0].legos[0].lego', '$.seeds[0].legos[0].components[0]'])
  })

  it('refuses a flag that contradicts clear evidence, naming the evidence', async () => {
    const error = await decide(labelledWithComponents(52, 1), {option: 'target-known'}).catch((e) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect(error.code).toBe('E_ORIENTATION_CONFLICT')
    expect(error.message).toContain('51 of 52 components read as [known, target]')
    expect(error.hint).toContain('known-target')
  })

  it('takes a flag that agrees with the evidence, or where nothing decides', async () => {
    const agreeing = await decide(labelledWithComponents(3, 0), {option: 'known-target'})
    expect(agreeing).toMatchObject({method: 'option', order: 'known-target', votes: {agree: 3, of: 3}})
    expect(agreeing.evidence).toContain('agrees with labelled text in lego_pairs.json')
    const alone = await decide({seeds: [['S0001', ['vé', 'mip'], [['S0001L01', 'A', 'vé', 'mip']]]]}, {option: 'target-known'})
    expect(alone).toMatchObject({method: 'option', order: 'target-known', votes: null})
    expect(alone.evidence).toContain('nothing in the data decides')
  })
})
