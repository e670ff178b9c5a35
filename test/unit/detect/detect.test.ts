import {describe, expect, it} from 'vitest'

import {detect} from '../../../src/core/detect/detect.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {readCanon} from '../../../src/core/canon/read.js'
import type {LegoPairsShape} from '../../../src/core/course/model.js'
import {courseFrom, synthCourse} from '../../helpers/course.js'

const DIRT = {fill: 0.6, empty: 3, overage: 4, orphans: 2, strays: 3, pollution: 2}

describe('detect on generated courses with counted dirt', () => {
  for (const shape of ['LP-A', 'LP-B', 'LP-C', 'LP-D', 'LP-E'] as LegoPairsShape[]) {
    it(`finds exactly what was planted (${shape})`, async () => {
      const synth = synthCourse({seed: 11, seeds: 40, shape, canon: DIRT})
      const course = await loadCourse(synth.dir)
      const result = detect(course, await readCanon(course.files.canon))
      const e = synth.expected
      expect(result.counts).toEqual({legos: e.legos, needed: e.needed, present: e.present, missing: e.missing, empty: e.empty, overage: e.overage, orphans: e.orphans, strays: e.strays})
      expect(result.coverage).toBeCloseTo(e.present / e.needed, 10)
      expect(result.missing.every((m) => course.legoById.get(m.id)?.isNew)).toBe(true)
    })
  }
})

describe('detect rules', () => {
  it('counts only baskets under "baskets" with a usable phrase as present', async () => {
    const legos = [1, 2, 3, 4].map((n) => ({id: `S0001L0${n}`, type: 'A', new: n !== 4, lego: {known: `k${n}`, target: `t${n}`}}))
    const {course, canon} = await courseFrom('qtl_for_qkn', {
      'lego_pairs.json': {seeds: [{seed_id: 'S0001', seed_pair: {known: 'k1 k2 k3 k4', target: 't1 t2 t3 t4'}, legos}]},
      'lego_baskets.json': {
        baskets: {
          S0001L01: {practice_phrases: [{known: 'k1', target: 't1'}]},
          S0001L02: {practice_phrases: [{known: ' ', target: 't2'}]},
          S0001L04: {practice_phrases: [{known: 'k4', target: 't4'}]},
          S0009L01: {practice_phrases: [{known: 'x', target: 'y'}]},
        },
        S0001L03: {practice_phrases: [{known: 'k3', target: 't3'}]},
      },
    })
    const r = detect(course, canon)
    expect(r.counts).toEqual({legos: 4, needed: 3, present: 1, missing: 2, empty: 1, overage: 1, orphans: 1, strays: 1})
    expect(r.missing).toEqual([
      {id: 'S0001L02', seed: 'S0001', known: 'k2', target: 't2', type: 'A'},
      {id: 'S0001L03', seed: 'S0001', known: 'k3', target: 't3', type: 'A'},
    ])
    expect([r.empty, r.overage, r.orphans, r.strays]).toEqual([['S0001L02'], ['S0001L04'], ['S0009L01'], ['S0001L03']])
    expect(r.coverage).toBeCloseTo(1 / 3)
  })

  it('gives full coverage when nothing is needed', async () => {
    const {course, canon} = await courseFrom('qtl_for_qkn', {'lego_pairs.json': {seeds: [{seed_id: 'S0001', seed_pair: {known: 'k', target: 't'}, legos: [{id: 'S0001L01', type: 'A', new: false, lego: {known: 'k', target: 't'}}]}]}})
    expect(detect(course, canon).coverage).toBe(1)
  })
})
