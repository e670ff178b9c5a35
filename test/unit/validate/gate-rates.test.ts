import {describe, expect, it} from 'vitest'

import type {Canon} from '../../../src/core/canon/model.js'
import {readCanon} from '../../../src/core/canon/read.js'
import {loadCourse} from '../../../src/core/course/load.js'
import type {Course} from '../../../src/core/course/model.js'
import {buildGateIndex, type GateIndexSettings} from '../../../src/core/gate/index.js'
import {gateSettingsSchema, validateSettingsSchema, type GateSettings} from '../../../src/core/schemas/config.js'
import {GATE_DEFINITIONS} from '../../../src/core/schemas/gate-definitions.js'
import {units} from '../../../src/core/text/normalize.js'
import {gateRates} from '../../../src/core/validate/gate-rates.js'
import {phraseViews} from '../../../src/core/validate/phrase-views.js'
import {validate, validateWithGateRates} from '../../../src/core/validate/validate.js'
import {synthCourse} from '../../helpers/course.js'
import {courseModel} from '../../helpers/model.js'

/**
 * validate counts the report's GATE rates in its own pass (each phrase tokenised once, checked by
 * `GateIndex.passes`, strict read from the shape check's chunk cover). The oracle is gateRates: one
 * index per definition and the full cover of every phrase, as validate --gate <definition> does.
 */
const SETTINGS: Array<[string, Partial<GateSettings>]> = [
  ['defaults', {}],
  ['a 1-seed window, no recent LEGOs, no components', {windowSeeds: 1, recentNewLegos: 0, components: false}],
]

async function generated(options: Parameters<typeof synthCourse>[0]) {
  const synth = synthCourse(options)
  const course = await loadCourse(synth.dir)
  return {course, canon: await readCanon(course.files.canon)}
}

/** Gives three baskets of the last seeds a phrase with the first LEGO's target: far outside the window, fine under the others. */
function farBack(course: Course, canon: Canon): void {
  const first = course.legos[0]!.target
  const late = [...canon.baskets.values()].filter((b) => b.phrases.length > 2).slice(-3)
  for (const basket of late) basket.phrases[1] = {known: 'plom', shape: 'object', target: `${course.legoById.get(basket.id)!.target} ${first}`}
}

describe('GATE rates counted in validate\'s pass equal the plain computation', () => {
  const courses = [
    ['a Latin-script course', {seed: 4, seeds: 60, canon: {fill: 0.9, gateViolations: 23, swapped: 5, empty: 2}}],
    ['a Han course (segments, longest match)', {seed: 6, seeds: 40, script: 'han' as const, code: 'cmn_for_qkn', canon: {fill: 0.9, gateViolations: 11, leakage: 3}}],
  ] as const
  for (const [name, options] of courses) {
    for (const [label, overrides] of SETTINGS) {
      it(`${name}, ${label}: every definition as validate's own gives the oracle's counts, per seed too`, async () => {
        const {course, canon} = await generated(options)
        farBack(course, canon)
        const settings = gateSettingsSchema.parse(overrides)
        const oracle = gateRates(course, canon, settings)
        // the course has violations under every definition, and the definitions disagree
        expect(oracle.violations.every((n) => n > 0)).toBe(true)
        expect(new Set(oracle.violations).size).toBeGreaterThan(1)
        for (const definition of GATE_DEFINITIONS) {
          const options = {gate: {...settings, definition}, validate: validateSettingsSchema.parse({})}
          const {result, gate} = validateWithGateRates(course, canon, options, GATE_DEFINITIONS)
          expect(gate).toEqual(oracle)
          // counting the rates changes nothing validate reports
          expect(result).toEqual(validate(course, canon, options))
        }
      })
    }
  }

  it('counts only the definitions asked for, with validate\'s own, in GATE order', async () => {
    const {course, canon} = await generated({seed: 4, seeds: 30, canon: {fill: 0.9, gateViolations: 9}})
    const settings = gateSettingsSchema.parse({})
    const {gate} = validateWithGateRates(course, canon, {gate: {...settings, definition: 'seed'}, validate: validateSettingsSchema.parse({})}, ['strict'])
    expect(gate).toEqual(gateRates(course, canon, settings, ['strict', 'seed']))
  })
})

describe('GateIndex.passes is check().uncovered being empty, phrase by phrase', () => {
  function agree(course: Course, phrases: Array<[text: string, lego: string]>, settings: GateIndexSettings) {
    const index = buildGateIndex(course, settings)
    return phrases.map(([text, id]) => {
      const lego = course.legoById.get(id)!
      const target = units(text)
      return [text, id, index.passes(target, lego), index.check(target, lego).uncovered.length === 0]
    })
  }
  const every = (course: Course, phrases: Array<[string, string]>, extra: Partial<GateIndexSettings> = {}) => {
    const answers = new Set<unknown>()
    for (const definition of GATE_DEFINITIONS) {
      const rows = agree(course, phrases, {definition, windowSeeds: 1, recentNewLegos: 1, components: true, ...extra})
      for (const [text, id, passes, covered] of rows) expect([definition, text, id, passes]).toEqual([definition, text, id, covered])
      for (const row of rows) answers.add(row[2])
    }
    // both answers occur: the phrases reach the fast path and the full cover alike
    expect(answers.size).toBe(2)
  }

  it('on generated courses, every canon phrase at its own LEGO and at the course\'s first', async () => {
    for (const options of [{seed: 3, seeds: 30, canon: {fill: 1, gateViolations: 12}}, {seed: 5, seeds: 25, script: 'han' as const, code: 'cmn_for_qkn', canon: {fill: 1, gateViolations: 7}}]) {
      const {course, canon} = await generated(options)
      const first = course.legos[0]!.id
      const phrases = [...canon.baskets.values()].flatMap((b) => phraseViews(b).flatMap((v): Array<[string, string]> => [[v.target, b.id], [v.target, first]]))
      every(course, phrases)
      every(course, phrases, {components: false, recentNewLegos: 0})
    }
  })

  it('with elided and mutated words, known only through their forms', () => {
    const french = courseModel('fra_for_qkn', [{legos: ['zamo', 'le', "l'ubo", 'de']}, {legos: ['il', 'que', 'vrinte']}])
    every(french, [["l'zamo vrinte", 'S0002L03'], ["l'zamo", 'S0001L01'], ["qu'il vrinte", 'S0002L03'], ["qu'il", 'S0002L01'], ["d'ubo le", 'S0001L04'], ["d'ubo", 'S0001L03']])
    const breton = courseModel('bre_for_qkn', [{legos: ['ar', 'ki', 'da', 'tad']}, {legos: ['ur', 'mamm']}])
    every(breton, [["ar c'hi", 'S0001L02'], ["ar c'hi", 'S0001L01'], ['da dad', 'S0001L04'], ['ur vamm', 'S0002L02'], ['da gad', 'S0001L04'], ['ur vamm', 'S0002L01']])
  })
})
