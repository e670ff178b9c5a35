import {describe, expect, it} from 'vitest'

import {generateCourse, serializeLegoPairs} from '../../../bench/synth/generate.js'
import {loadCourse} from '../../../src/core/course/load.js'
import type {Course, LegoPairsShape} from '../../../src/core/course/model.js'
import {InputError, UsageError} from '../../../src/core/errors.js'
import {courseFrom, synthCourse} from '../../helpers/course.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const summary = (c: Course) => c.legos.map((l) => [l.id, l.seedId, l.known, l.target, l.isNew, l.type, l.isFinal, l.components.length])

describe('every lego_pairs shape loads into the same Course model', () => {
  const reference = generateCourse({seed: 3, seeds: 15})
  for (const shape of ['LP-A', 'LP-B', 'LP-C', 'LP-D', 'LP-E'] as LegoPairsShape[]) {
    for (const order of ['known-target', 'target-known'] as const) {
      it(`${shape} with [${order}] arrays`, async () => {
        const {dir} = synthCourse({seed: 3, seeds: 15, shape, order})
        const course = await loadCourse(dir)
        expect(course.shape).toBe(shape)
        expect(course.seeds.map((s) => [s.id, s.known, s.target])).toEqual(reference.course.seeds.map((s) => [s.id, s.known, s.target]))
        const expected = summary(reference.course)
        // LP-E carries no components
        expect(summary(course)).toEqual(shape === 'LP-E' ? expected.map((row) => [...row.slice(0, 7), 0]) : expected)
        // LP-B's labelled LEGOs sit inside its array seed pairs: evidence in the same file comes first
        if (shape === 'LP-B') expect(course.orientation).toMatchObject({arrays: true, order, method: 'same-file'})
        else if (shape !== 'LP-A') expect(course.orientation).toMatchObject({arrays: true, order, method: 'seed-pairs'})
        else expect(course.orientation.method).toBe('labelled')
      })
    }
  }
})

describe('course order and final LEGOs', () => {
  it('follows the arrays, not the numbers in the ids, and marks the last LEGO of each seed final', async () => {
    const {course} = await courseFrom('qtl_for_qkn', {
      'lego_pairs.json': {seeds: [{seed_id: 'S0001', seed_pair: {known: 'a b c', target: 'x y z'}, legos: [
        {id: 'S0001L05', type: 'A', new: true, lego: {known: 'a', target: 'x'}},
        {id: 'S0001L01', type: 'A', new: true, lego: {known: 'b', target: 'y'}},
        {id: 'S0001L03', type: 'A', new: true, lego: {known: 'c', target: 'z'}},
      ]}]},
    })
    expect(course.legos.map((l) => [l.id, l.position, l.isFinal])).toEqual([
      ['S0001L05', 0, false],
      ['S0001L01', 1, false],
      ['S0001L03', 2, true],
    ])
  })

  it('ignores extra top-level keys', async () => {
    const {course} = await courseFrom('qtl_for_qkn', {
      'lego_pairs.json': {upchunked_mtypes: [1], phase4: {x: 1}, metadata: {a: 1}, seeds: [{seed_id: 'S0001', note: 'n', seed_pair: {known: 'a', target: 'x'}, legos: [{id: 'S0001L01', type: 'A', new: true, lego: {known: 'a', target: 'x'}}]}]},
    })
    expect(course.legos).toHaveLength(1)
    expect(course.findings).toEqual([])
  })
})

describe('array orientation', () => {
  const compact = (order: 'kt' | 'tk') => ({
    seeds: [['S0001', order === 'kt' ? ['mip dax', '甲乙丙'] : ['甲乙丙', 'mip dax'], [['S0001L01', 'A', ...(order === 'kt' ? ['mip', '甲乙'] : ['甲乙', 'mip'])], ['S0001L02', 'A', ...(order === 'kt' ? ['dax', '丙'] : ['丙', 'dax'])]]]],
  })

  it('is told by script where the languages use different scripts', async () => {
    for (const order of ['kt', 'tk'] as const) {
      const {course} = await courseFrom('cmn_for_qkn', {'lego_pairs.json': compact(order)})
      expect(course.orientation.method).toBe('script')
      expect(course.legos.map((l) => l.target)).toEqual(['甲乙', '丙'])
      expect(course.seeds[0]!.target).toBe('甲乙丙')
    }
  })

  it('is told from labelled LEGOs when only the seed pairs are arrays', async () => {
    const {course} = await courseFrom('qtl_for_qkn', {
      'lego_pairs.json': {seeds: [{seed_id: 'S0001', seed_pair: ['vé qó', 'mip dax'], legos: [{id: 'S0001L01', type: 'A', new: true, known: 'mip', target: 'vé'}, {id: 'S0001L02', type: 'A', new: true, known: 'dax', target: 'qó'}]}]},
    })
    expect(course.orientation).toMatchObject({method: 'same-file', order: 'target-known', votes: {agree: 2, of: 2}})
    expect(course.orientation.evidence).toContain('2 of 2 seed sentences')
    expect(course.seeds[0]).toMatchObject({known: 'mip dax', target: 'vé qó'})
  })

  it('asks for --orientation when nothing decides it', async () => {
    const dir = writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': {seeds: [['S0001', ['vé', 'mip'], [['S0001L01', 'A', 'vé', 'mip']]]]}})
    const error = await loadCourse(dir).catch((e) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect(error.code).toBe('E_ORIENTATION')
    expect(error.hint).toContain('--orientation')
    const course = await loadCourse(dir, {orientation: 'target-known'})
    expect(course.legos[0]).toMatchObject({target: 'vé', known: 'mip'})
    expect(course.orientation.method).toBe('option')
  })

  it('marks compact LEGOs new at their first appearance when the file has no flags', async () => {
    const {course} = await courseFrom('cmn_for_qkn', {
      'lego_pairs.json': {seeds: [['S0001', ['甲乙', 'mip dax'], [['S0001L01', 'A', '甲', 'mip'], ['S0001L02', 'A', '乙', 'dax']]], ['S0002', ['甲丙', 'mip tor'], [['S0002L01', 'A', '甲', 'mip'], ['S0002L02', 'A', '丙', 'tor']]]]},
    })
    expect(course.legos.map((l) => l.isNew)).toEqual([true, true, false, true])
    expect(course.findings.map((f) => f.kind)).toEqual(['inferred-new'])
  })
})

describe('broken input', () => {
  it('loads the rest and reports broken seeds and LEGOs precisely', async () => {
    const {course} = await courseFrom('qtl_for_qkn', {
      'lego_pairs.json': {seeds: [
        {seed_id: 'S0001', seed_pair: {known: 'a', target: 'x'}, legos: [{id: 'S0001L01', type: 'A', new: true, lego: {known: 'a', target: 'x'}}]},
        {seed_id: 'S0002', seed_pair: {known: 'b', target: 'y'}, legos: {S0002L01: {practice_phrases: [['b', 'y']]}}},
        {seed_id: 'S0003', seed_pair: {known: 'c d', target: 'z w'}, legos: [
          {id: 'S0003L01', practice_phrases: [{known: 'c', target: 'z'}]},
          {id: 'S0003L02', type: 'A', lego: {known: 'c', target: 'z'}},
          {id: 'S0003L03', type: 'A', new: true, lego: {known: 'd', target: 'w'}},
          'junk',
        ]},
      ]},
    })
    expect(course.legos.map((l) => l.id)).toEqual(['S0001L01', 'S0003L02', 'S0003L03'])
    const kinds = course.findings.map((f) => [f.kind, f.seed, f.lego])
    expect(kinds).toEqual([
      ['broken-seed', 'S0002', undefined],
      ['bad-lego', 'S0003', undefined],
      ['broken-seed', 'S0003', undefined],
      ['missing-new', 'S0003', 'S0003L02'],
    ])
    expect(course.findings[2]).toMatchObject({items: 1})
    expect(course.legoById.get('S0003L02')!.isNew).toBe(true)
    expect(course.findings[1]!.message).toContain('legos[3]')
  })

  it('refuses a lego_pairs that is a bare string, naming the file and the fix', async () => {
    const dir = writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': '"just a string"\n'})
    const error = await loadCourse(dir).catch((e) => e)
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toContain('lego_pairs.json')
    expect(error.message).toContain('a string')
    expect(error.hint).toMatch(/seeds/)
  })

  it('reports invalid JSON with line and column', async () => {
    const dir = writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': '{\n  "seeds": [\n    {"seed_id": "S0001",}\n  ]\n}\n'})
    const error = await loadCourse(dir).catch((e) => e)
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toMatch(/line 3, column \d+/)
    expect(error.details).toMatchObject({line: 3})
  })

  it('refuses an object that is no known shape', async () => {
    const dir = writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': {hello: 'world'}})
    await expect(loadCourse(dir)).rejects.toThrow(/not a lego_pairs file wicker recognises.*"hello"/)
  })

  it('reads a BOM-prefixed file', async () => {
    const dir = writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': `\uFEFF${JSON.stringify(serializeLegoPairs(generateCourse({seeds: 3}).course, 'LP-A', 'known-target'))}`})
    expect((await loadCourse(dir)).seeds).toHaveLength(3)
  })
})
