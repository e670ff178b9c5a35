import {describe, expect, it} from 'vitest'

import {f10} from '../../../../src/core/formats/containers/f10-wrapper.js'

const hints = {name: 'seed.json'}

describe('F10: a lego_baskets or phase5_baskets wrapper', () => {
  it('reads both wrapper names, with the LEGO text as lego_pair', () => {
    for (const wrapper of ['lego_baskets', 'phase5_baskets']) {
      const root = {seed_id: 'S0004', [wrapper]: {S0004L02: {lego_pair: ['we vask', 'nolo'], phrases: [['we vask', 'nolo']]}}}
      expect(f10.recognise(root, hints)).toBe(true)
      const read = f10.read(root, hints)
      expect(read.baskets.map((b) => [b.id, b.path, b.lego])).toEqual([['S0004L02', `$.${wrapper}.S0004L02`, {known: 'we vask', target: 'nolo'}]])
      expect(read.keys).toEqual([wrapper])
    }
  })
})
