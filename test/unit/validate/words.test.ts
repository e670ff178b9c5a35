import {describe, expect, it} from 'vitest'

import {gateSettingsSchema, validateSettingsSchema} from '../../../src/core/schemas/config.js'
import {validate} from '../../../src/core/validate/validate.js'
import {courseFrom} from '../../helpers/course.js'

const options = (gate: Record<string, unknown> = {}) => ({gate: gateSettingsSchema.parse(gate), validate: validateSettingsSchema.parse({earlySeeds: 10})})

const basket = (target: string, phrases: string[], isFinal: boolean) => ({
  lego: {known: 'kpa', target},
  practice_phrases: phrases.map((p, i) => ({known: `kpa ${i}`, target: p})),
  is_final_lego: isFinal,
  phrase_count: phrases.length,
})

/** S0001: lo (L01), ka…ri (L02, a frame), sentence "ka lo ri". */
const framePairs = {
  seeds: [{seed_id: 'S0001', seed_pair: {known: 'mip dax', target: 'ka lo ri'}, legos: [
    {id: 'S0001L01', type: 'A', new: true, lego: {known: 'mip', target: 'lo'}},
    {id: 'S0001L02', type: 'A', new: true, lego: {known: 'dax', target: 'ka…ri'}},
  ]}],
}

describe('validate with the word rules', () => {
  it('a discontinuous LEGO is contained when its pieces occur in order', async () => {
    const {course, canon} = await courseFrom('qtl_for_qkn', {
      'lego_pairs.json': framePairs,
      'lego_baskets.json': {baskets: {S0001L01: basket('lo', ['lo'], false), S0001L02: basket('ka…ri', ['ka ri', 'ri ka', 'ka lo ri'], true)}},
    })
    const r = validate(course, canon, options())
    expect(r.findings.filter((f) => f.check === 'containment').map((f) => [f.basket, f.phrase])).toEqual([['S0001L02', 1]])
    expect(r.findings.filter((f) => f.check === 'gate')).toEqual([])
  })

  it('each GATE finding lists every word with the rule that made it available, or null', async () => {
    const {course, canon} = await courseFrom('cmn_for_eng', {
      'lego_pairs.json': {seeds: [{seed_id: 'S0001', seed_pair: {known: 'i want water', target: '我想要喝水'}, legos: [
        {id: 'S0001L01', type: 'A', new: true, lego: {known: 'i want', target: '我想要'}},
        {id: 'S0001L02', type: 'M', new: true, lego: {known: 'drink water', target: '喝水'}, components: [{known: 'drink', target: '喝'}, {known: 'water', target: '水'}]},
      ]}]},
      'lego_baskets.json': {baskets: {
        S0001L01: basket('我想要', ['我想要'], false),
        S0001L02: basket('喝水', ['想要喝水', '我要喝水', '我想要喝水'], true),
      }},
    })
    const r = validate(course, canon, options())
    const gate = r.findings.filter((f) => f.check === 'gate')
    expect(gate).toHaveLength(1)
    expect(gate[0]).toMatchObject({basket: 'S0001L02', phrase: 1, words: ['要'], coverage: [{word: '我', rule: 'segment'}, {word: '要', rule: null}, {word: '喝水', rule: 'whole-lego'}]})
    expect(r.counts.gateViolations).toBe(1)
    // before: whole-LEGO matching made "想要喝水" a violation too
    const strict = validate(course, canon, options({definition: 'strict'}))
    expect(strict.findings.filter((f) => f.check === 'gate').map((f) => f.phrase)).toEqual([0, 1])
  })
})
