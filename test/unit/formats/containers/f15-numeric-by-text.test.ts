import {describe, expect, it} from 'vitest'

import {f15} from '../../../../src/core/formats/containers/f15-numeric-by-text.js'
import {readContainer} from '../../../../src/core/formats/containers.js'
import type {LegoText} from '../../../../src/core/formats/containers.js'

/** The LEGOs of seed S0320 as lego_pairs gives them (invented words). */
const SEED: LegoText[] = [
  {id: 'S0320L01', known: 'I vask', target: 'yo nolo'},
  {id: 'S0320L02', known: 'to the trell', target: 'al trelo'},
  {id: 'S0320L04', known: 'quickly', target: 'brimo'},
]
const hints = (name = 'seed_S0320_baskets.json', legos: Record<string, LegoText[]> = {S0320: SEED}) => ({name, seedLegos: (seed: string) => legos[seed]})
const basket = (lego: unknown) => ({lego, practice_phrases: [['I vask', 'yo nolo']]})

describe('F15: numeric keys without ids, matched by LEGO text', () => {
  it('finds each basket\'s LEGO in the seed of the file name by its normalised lego text, and reports every id it inferred', () => {
    const root = {'0': basket({known: 'I vask', target: 'yo nolo'}), '1': basket({known: 'To the trell', target: '  Al  trelo. '}), '2': basket('brimo')}
    expect(f15.recognise(root, hints())).toBe(true)
    const read = f15.read(root, hints())
    expect(read.baskets.map((b) => [b.id, b.path])).toEqual([
      ['S0320L01', '$.0'],
      ['S0320L02', '$.1'],
      ['S0320L04', '$.2'],
    ])
    expect(read.problems).toEqual([
      {path: '$.0', kind: 'inferred-id', basket: 'S0320L01', message: 'no LEGO id; S0320L01 inferred, the one LEGO of S0320 with the lego text "yo nolo"'},
      {path: '$.1', kind: 'inferred-id', basket: 'S0320L02', message: 'no LEGO id; S0320L02 inferred, the one LEGO of S0320 with the lego text "al trelo"'},
      {path: '$.2', kind: 'inferred-id', basket: 'S0320L04', message: 'no LEGO id; S0320L04 inferred, the one LEGO of S0320 with the lego text "brimo"'},
    ])
  })

  it('matches a lego pair in either order', () => {
    const read = f15.read({'0': basket(['quickly', 'brimo']), '1': basket(['al trelo', 'to the trell'])}, hints())
    expect(read.baskets.map((b) => b.id)).toEqual(['S0320L04', 'S0320L02'])
  })

  it('refuses a basket whose text fits two LEGOs of the seed, or none', () => {
    const twice = [...SEED, {id: 'S0320L05', known: 'quick', target: 'brimo'}]
    const read = f15.read({'0': basket('brimo'), '1': basket({known: 'we zum', target: 'fe ril'})}, hints(undefined, {S0320: twice}))
    expect(read.baskets).toEqual([])
    expect(read.problems).toEqual([
      {path: '$.0', kind: 'bad-id', message: 'no LEGO id, and the lego text "brimo" fits 2 LEGOs of the seed (S0320L04, S0320L05): ambiguous; refused'},
      {path: '$.1', kind: 'bad-id', message: 'no LEGO id, and no LEGO of the seed has the lego text {"known":"we zum","target":"fe ril"}; refused'},
    ])
  })

  it('uses known text to tell apart LEGOs with the same target', () => {
    const same = [...SEED, {id: 'S0320L05', known: 'quick', target: 'brimo'}]
    expect(f15.read({'0': basket({known: 'quick', target: 'brimo'})}, hints(undefined, {S0320: same})).baskets.map((b) => b.id)).toEqual(['S0320L05'])
  })

  it('refuses every basket when the file name names no seed, several, or one not in lego_pairs', () => {
    const root = {'0': basket('brimo')}
    expect(f15.read(root, hints('baskets.json')).problems[0]!.message).toBe('no LEGO id, and the file name names no seed to find it in; refused')
    expect(f15.read(root, hints('S0320_S0321.json')).problems[0]!.message).toBe('no LEGO id, and the file name names several seeds (S0320, S0321) to find it in; refused')
    expect(f15.read(root, hints('seed_S0999.json')).problems[0]!.message).toBe("no LEGO id, and the file's seed S0999 is not in lego_pairs; refused")
    expect(f15.read(root, {name: 'seed_S0320.json'}).problems[0]!.message).toContain("can only be found from the course's LEGOs of S0320")
  })

  it('takes the seed from the file\'s own seed_id when the name has none', () => {
    expect(f15.read({seed_id: 'S0320', '0': basket('brimo')}, hints('baskets.json')).baskets.map((b) => b.id)).toEqual(['S0320L04'])
  })

  it('is read through the registry as F15, and F6 keeps files whose values carry ids', () => {
    expect(readContainer({'0': basket('brimo')}, hints())!.format).toBe('F15')
    expect(readContainer({'0': {lego_id: 'S0320L04', ...basket('brimo')}}, hints())!.format).toBe('F6')
  })
})
