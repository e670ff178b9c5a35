import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import type {Course} from '../../../src/core/course/model.js'
import {buildGateIndex} from '../../../src/core/gate/index.js'
import {units} from '../../../src/core/text/normalize.js'
import type {GateDefinition} from '../../../src/core/schemas/config.js'
import {courseFrom} from '../../helpers/course.js'

/**
 * A small invented course. Target words carry accents; S0002L03 is molecular (two words).
 *   S0001: ñam(L01) velú(L02)                 sentence "ñam velú"
 *   S0002: quéso(L01) ñam(L02, not new) bon díaz(L05)   sentence "quéso ñam bon díaz zorí"
 *   S0003: tzá(L01) español(L02)              sentence "tzá español"
 *   S0004: vrí(L01)                            sentence "vrí"
 */
const latin = {
  'lego_pairs.json': {
    seeds: [
      {seed_id: 'S0001', seed_pair: {known: 'mip dax', target: 'ñam velú'}, legos: [
        {id: 'S0001L01', type: 'A', new: true, lego: {known: 'mip', target: 'ñam'}},
        {id: 'S0001L02', type: 'A', new: true, lego: {known: 'dax', target: 'velú'}},
      ]},
      {seed_id: 'S0002', seed_pair: {known: 'tor mip bo dee zup', target: 'quéso ñam bon díaz zorí'}, legos: [
        {id: 'S0002L01', type: 'A', new: true, lego: {known: 'tor', target: 'quéso'}},
        {id: 'S0002L02', type: 'A', new: false, lego: {known: 'mip', target: 'ñam'}},
        {id: 'S0002L05', type: 'M', new: true, lego: {known: 'bo dee', target: 'bon díaz'}, components: [{known: 'bo', target: 'bon'}, {known: 'dee', target: 'díaz'}]},
      ]},
      {seed_id: 'S0003', seed_pair: {known: 'pim glor', target: 'tzá español'}, legos: [
        {id: 'S0003L01', type: 'A', new: true, lego: {known: 'pim', target: 'tzá'}},
        {id: 'S0003L02', type: 'A', new: true, lego: {known: 'glor', target: 'español'}},
      ]},
      {seed_id: 'S0004', seed_pair: {known: 'wim', target: 'vrí'}, legos: [{id: 'S0004L01', type: 'A', new: true, lego: {known: 'wim', target: 'vrí'}}]},
    ],
  },
}

function gate(course: Course, definition: GateDefinition, extra: {windowSeeds?: number; recentNewLegos?: number; components?: boolean} = {}) {
  const index = buildGateIndex(course, {definition, windowSeeds: extra.windowSeeds ?? 10, recentNewLegos: extra.recentNewLegos ?? 30, components: extra.components ?? false})
  return (text: string, legoId: string) => index.check(units(text), course.legoById.get(legoId)!).uncovered
}

describe('GATE on Latin text with accents', async () => {
  const {course} = await courseFrom('qtl_for_qkn', latin)

  it('cumulative: words of every LEGO up to and including the current one', () => {
    const check = gate(course, 'cumulative')
    expect(check('¡Velú ñam!', 'S0001L02')).toEqual([])
    expect(check('velú quéso', 'S0001L02')).toEqual(['quéso'])
    expect(check('quéso ñam', 'S0002L01')).toEqual([])
    // a single word of a molecular LEGO counts once the LEGO is reached
    expect(check('díaz tzá', 'S0003L01')).toEqual([])
    // the seed sentence's word "zorí" belongs to no LEGO
    expect(check('quéso zorí', 'S0002L05')).toEqual(['zorí'])
    // accents matter: "espanol" is another word
    expect(check('tzá espanol', 'S0003L02')).toEqual(['espanol'])
    expect(check('tzá ESPAN\u0303OL', 'S0003L02')).toEqual([])
  })

  it('strict: the phrase must tile from whole LEGO chunks', () => {
    const check = gate(course, 'strict')
    expect(check('bon díaz quéso', 'S0002L05')).toEqual([])
    expect(check('díaz tzá', 'S0003L01')).toEqual(['díaz'])
    // strict stays whole-LEGO chunks: components are not chunks of their own
    expect(gate(course, 'strict', {components: true})('díaz tzá', 'S0003L01')).toEqual(['díaz'])
  })

  it('window: only the N seeds before, the current seed up to the LEGO, and recent new LEGOs', () => {
    const narrow = gate(course, 'window', {windowSeeds: 1, recentNewLegos: 0})
    expect(narrow('tzá quéso', 'S0003L01')).toEqual([])
    expect(narrow('tzá velú', 'S0003L01')).toEqual(['velú'])
    expect(narrow('tzá español', 'S0003L01')).toEqual(['español'])
    // the seed sentence of a seed in the window counts: "zorí" is in S0002's sentence
    expect(narrow('tzá zorí', 'S0003L01')).toEqual([])
    // recent new LEGOs reach further back than the seed window
    expect(gate(course, 'window', {windowSeeds: 1, recentNewLegos: 5})('vrí velú', 'S0004L01')).toEqual([])
    expect(gate(course, 'window', {windowSeeds: 1, recentNewLegos: 2})('vrí velú', 'S0004L01')).toEqual(['velú'])
  })

  it('seed: every word of every seed up to the current one, sentences included', () => {
    const check = gate(course, 'seed')
    expect(check('quéso zorí', 'S0002L01')).toEqual([])
    expect(check('quéso español', 'S0002L01')).toEqual(['español'])
  })

  it('reports each word that is not available', () => {
    expect(gate(course, 'cumulative')('ñam blá velú qué', 'S0001L01')).toEqual(['blá', 'velú', 'qué'])
  })
})

/** Chinese-like target: invented strings of Han characters (heavenly stems), known side pseudo-words. */
const han = {
  'lego_pairs.json': {
    seeds: [
      {seed_id: 'S0001', seed_pair: {known: 'mip dax', target: '甲乙丙'}, legos: [
        {id: 'S0001L01', type: 'A', new: true, lego: {known: 'mip', target: '甲乙'}},
        {id: 'S0001L02', type: 'A', new: true, lego: {known: 'dax', target: '丙'}},
      ]},
      {seed_id: 'S0002', seed_pair: {known: 'tor', target: '丁戊己'}, legos: [{id: 'S0002L01', type: 'M', new: true, lego: {known: 'tor', target: '丁戊己'}, components: [{known: 'to', target: '丁'}, {known: 'r', target: '戊己'}]}]},
    ],
  },
}

describe('GATE on Chinese and mixed text', async () => {
  const {course} = await courseFrom('cmn_for_qkn', han)

  it('matches Han by the longest vocabulary entry, not character by character', () => {
    const check = gate(course, 'cumulative')
    expect(check('丙甲乙', 'S0001L02')).toEqual([])
    expect(check('甲乙，丙！', 'S0001L02')).toEqual([])
    // "乙" alone is no entry: only the chunk "甲乙" is
    expect(check('乙丙', 'S0001L02')).toEqual(['乙'])
    // consecutive unknown characters are reported as one word
    expect(check('丙庚辛', 'S0001L02')).toEqual(['庚辛'])
  })

  it('handles Latin words inside Chinese phrases', () => {
    expect(gate(course, 'cumulative')('甲乙 OK 丙', 'S0001L02')).toEqual(['ok'])
  })

  it('is not fooled by characters of a LEGO that comes later', () => {
    expect(gate(course, 'cumulative')('丙丁', 'S0001L02')).toEqual(['丁'])
    expect(gate(course, 'cumulative')('丁戊己甲乙', 'S0002L01')).toEqual([])
  })

  it('counts the segmenter\'s words of a LEGO: ICU cuts the invented 丁戊己 into 丁|戊|己', () => {
    expect(gate(course, 'cumulative')('戊己丙', 'S0002L01')).toEqual([])
    expect(gate(course, 'strict', {components: true})('戊己丙', 'S0002L01')).toEqual(['戊己'])
  })

  it('strict tiles Han from whole chunks', () => {
    const check = gate(course, 'strict')
    expect(check('甲乙丙', 'S0001L02')).toEqual([])
    expect(check('甲乙丙丁戊己', 'S0002L01')).toEqual([])
    expect(check('丁戊', 'S0002L01')).toEqual(['丁戊'])
  })

  it('seed counts every character sequence of seed sentences up to the current seed', () => {
    expect(gate(course, 'seed')('甲乙丙', 'S0001L01')).toEqual([])
    expect(gate(course, 'seed')('丁戊己', 'S0001L01')).toEqual(['丁戊己'])
  })
})

describe('count: the cover\'s entries and whether it covers all, as check gives them', async () => {
  const courses = [(await courseFrom('qtl_for_qkn', latin)).course, (await courseFrom('cmn_for_qkn', han)).course]
  it('for every definition, LEGO and phrase of known and unknown words', () => {
    for (const course of courses) {
      const words = [...new Set(course.legos.flatMap((l) => [...units(l.target), ...units(l.components.map((c) => c.target).join(' '))]))]
      const pool = [...words, ...course.legos.map((l) => l.target), 'zorí', 'espanol', '庚', 'ok', '丁戊']
      for (const definition of ['strict', 'cumulative', 'window', 'seed'] as const) {
        for (const components of [false, true]) {
          const index = buildGateIndex(course, {definition, windowSeeds: 1, recentNewLegos: 2, components})
          fc.assert(
            fc.property(fc.array(fc.constantFrom(...pool), {maxLength: 8}), fc.constantFrom(...course.legos), (parts, lego) => {
              const list = units(parts.join(course.targetLanguage === 'cmn' ? '' : ' '))
              const full = index.check(list, lego)
              expect(index.count(list, lego)).toEqual({entries: full.entries, covered: full.uncovered.length === 0})
            }),
            {numRuns: 300},
          )
        }
      }
    }
  })
})
