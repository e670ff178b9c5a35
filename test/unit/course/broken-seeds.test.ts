import {describe, expect, it} from 'vitest'

import {parseCourseCode} from '../../../src/core/course/load.js'
import {readRawCourse} from '../../../src/core/course/raw-shapes.js'
import {courseFrom} from '../../helpers/course.js'

const lego = (id: string, known: string, target: string) => ({id, type: 'A', new: true, lego: {known, target}})

describe('basket payloads where LEGOs belong', () => {
  it('are not LEGOs: the seed is reported broken with the item count, and the payloads are kept aside', () => {
    const raw = readRawCourse({seeds: [
      {seed_id: 'S0001', seed_pair: {known: 'mip dax', target: 'vé qó'}, legos: [lego('S0001L01', 'mip', 'vé'), lego('S0001L02', 'dax', 'qó')]},
      // the three payload shapes seen in real files, none with a "new" flag, no seed_pair
      {seed_id: 'S0002', legos: [
        {lego_id: 'S0002L01', lego: {known: 'zor', target: 'wib'}, practice_phrases: [{known: 'zor', target: 'wib'}]},
        {id: 'S0002L02', lego: {known: 'kel', target: 'tum'}, practice_phrases: [['kel mip', 'tum vé']]},
        {id: 'S0002L03', lego: {known: 'fen', target: 'rog'}},
      ]},
    ]}, 'lego_pairs.json')
    expect(raw.seeds.map((s) => [s.id, s.legos.map((l) => l.id)])).toEqual([['S0001', ['S0001L01', 'S0001L02']], ['S0002', []]])
    expect(raw.findings).toEqual([expect.objectContaining({kind: 'broken-seed', seed: 'S0002', items: 3})])
    expect(raw.findings[0]!.message).toContain('3 of 3 item(s) in $.seeds[1].legos are basket payloads (S0002L01, S0002L02, S0002L03')
    expect(raw.findings[0]!.message).toContain('--from-lego-pairs')
    expect(raw.seeds[1]!.payloads.map((p) => [p.id, p.path, p.phrases])).toEqual([
      ['S0002L01', '$.seeds[1].legos[0]', [{known: 'zor', target: 'wib'}]],
      ['S0002L02', '$.seeds[1].legos[1]', [['kel mip', 'tum vé']]],
      ['S0002L03', '$.seeds[1].legos[2]', undefined],
    ])
  })

  it('leaves a LEGO that has a "new" flag, or a type, a LEGO', () => {
    const raw = readRawCourse({seeds: [{seed_id: 'S0001', seed_pair: {known: 'mip', target: 'vé'}, legos: [
      {id: 'S0001L01', new: true, lego: {known: 'mip', target: 'vé'}, practice_phrases: []},
      {id: 'S0001L02', type: 'A', lego: {known: 'mip', target: 'vé'}},
    ]}]}, 'lego_pairs.json')
    expect(raw.seeds[0]!.legos.map((l) => l.id)).toEqual(['S0001L01', 'S0001L02'])
    expect(raw.seeds[0]!.payloads).toEqual([])
  })

  it('does not count payloads as needed LEGOs, and offers them on the course', async () => {
    const {course} = await courseFrom('qtl_for_qkn', {
      'lego_pairs.json': {seeds: [
        {seed_id: 'S0001', seed_pair: {known: 'mip', target: 'vé'}, legos: [lego('S0001L01', 'mip', 'vé')]},
        {seed_id: 'S0002', legos: [{lego_id: 'S0002L01', lego: {known: 'zor', target: 'wib'}, practice_phrases: [['zor', 'wib']]}, {id: 'S0002L02', lego: {known: 'kel', target: 'tum'}}]},
      ]},
    })
    expect(course.legos.map((l) => l.id)).toEqual(['S0001L01'])
    expect(course.findings.map((f) => f.kind)).toEqual(['broken-seed'])
    expect(course.legoPairsBaskets).toEqual([
      {seedId: 'S0002', id: 'S0002L01', path: '$.seeds[1].legos[0]', lego: {known: 'zor', target: 'wib'}, phrases: [['zor', 'wib']]},
      {seedId: 'S0002', id: 'S0002L02', path: '$.seeds[1].legos[1]', lego: {known: 'kel', target: 'tum'}, phrases: undefined},
    ])
  })

  it('reads a "legos" object of LEGO ids as payloads too', () => {
    const raw = readRawCourse({seeds: [{seed_id: 'S0003', seed_pair: {known: 'a', target: 'b'}, legos: {S0003L01: {practice_phrases: [['mip', 'vé']]}}}]}, 'lego_pairs.json')
    expect(raw.findings).toEqual([expect.objectContaining({kind: 'broken-seed', seed: 'S0003', items: 1})])
    expect(raw.seeds[0]!.payloads).toEqual([{seedId: 'S0003', id: 'S0003L01', path: '$.seeds[0].legos.S0003L01', lego: null, phrases: [['mip', 'vé']]}])
  })
})

describe('empty seeds', () => {
  it('are reported by id, in every shape', () => {
    for (const file of [
      {seeds: [{seed_id: 'S0001', seed_pair: {known: 'a', target: 'b'}, legos: []}, {seed_id: 'S0002', seed_pair: {known: 'a', target: 'b'}, legos: [lego('S0002L01', 'a', 'b')]}, {seed_id: 'S0003', legos: []}]},
      [['S0001', ['a', 'b'], []], ['S0002', ['a', 'b'], [['S0002L01', 'A', 'a', 'b']]], ['S0003', ['a', 'b'], []]],
    ]) {
      const raw = readRawCourse(file, 'lego_pairs.json')
      expect(raw.findings.map((f) => [f.kind, f.seed])).toEqual([['empty-seed', 'S0001'], ['empty-seed', 'S0003']])
    }
  })
})

describe('course codes', () => {
  it('take the languages from the leading <target>_for_<known>, whatever follows', () => {
    expect(parseCourseCode('cmn_for_eng_test')).toEqual({target: 'cmn', known: 'eng'})
    expect(parseCourseCode('spa_for_eng-v2')).toEqual({target: 'spa', known: 'eng'})
    expect(parseCourseCode('cmn_for_eng')).toEqual({target: 'cmn', known: 'eng'})
    expect(parseCourseCode('cmn_for_english')).toBeNull()
    expect(parseCourseCode('xcmn_for_eng')).toBeNull()
  })

  it('a suffixed course folder keeps its languages, so script evidence works', async () => {
    const {course} = await courseFrom('cmn_for_qkn_test', {'lego_pairs.json': {seeds: [['S0001', ['甲乙', 'mip dax'], [['S0001L01', 'A', '甲', 'mip']]]]}})
    expect([course.code, course.targetLanguage, course.knownLanguage]).toEqual(['cmn_for_qkn_test', 'cmn', 'qkn'])
    expect(course.orientation.method).toBe('script')
    expect(course.findings.map((f) => f.kind)).toEqual(['inferred-new'])
  })
})
