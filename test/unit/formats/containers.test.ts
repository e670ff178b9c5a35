import {describe, expect, it} from 'vitest'

import {CONTAINERS, readContainer, unread} from '../../../src/core/formats/containers.js'

const hints = {name: 'seed_S0231.json'}
const basket = (known: string, target: string) => ({practice_phrases: [[known, target, null, 1]]})

describe('readContainer: every container of a file is read', () => {
  it('reads an F3 array and the top-level LEGO-id baskets beside it (a mixed file), losing neither', () => {
    const root = {seed_id: 'S0231', baskets: [{lego_id: 'S0231L03', ...basket('we vask', 'nolo')}], S0231L01: basket('ta zum', 'fe ril'), S0231L02: basket('om bra', 'kelo')}
    const read = readContainer(root, hints)!
    expect(read.format).toBe('mixed')
    expect(read.parts).toEqual(['F3', 'F1'])
    expect(read.baskets.map((b) => [b.id, b.path, b.container])).toEqual([
      ['S0231L03', '$.baskets[0]', 'F3'],
      ['S0231L01', '$.S0231L01', 'F1'],
      ['S0231L02', '$.S0231L02', 'F1'],
    ])
    expect(read.problems).toEqual([])
  })

  it('reads a wrapper, numeric keys and short keys in one file', () => {
    const root = {lego_baskets: {S0231L01: basket('ta zum', 'fe ril')}, '0': {lego_id: 'S0231L02', ...basket('om bra', 'kelo')}, L03: basket('we vask', 'nolo')}
    const read = readContainer(root, hints)!
    expect(read.parts).toEqual(['F10', 'F6', 'F7'])
    expect(read.baskets.map((b) => b.id)).toEqual(['S0231L01', 'S0231L02', 'S0231L03'])
  })

  it('reports baskets inside a wrapper no container knows, instead of dropping them', () => {
    const root = {baskets: [{lego_id: 'S0231L03', ...basket('we vask', 'nolo')}], leftovers: {S0231L01: basket('ta zum', 'fe ril'), S0231L02: basket('om bra', 'kelo')}, notes: {author: 'a7'}}
    const read = readContainer(root, hints)!
    expect(read.baskets.map((b) => b.id)).toEqual(['S0231L03'])
    expect(read.problems).toEqual([{path: '$.leftovers', kind: 'unread', message: 'holds 2 basket-shaped value(s) in a container wicker does not know; not used'}])
  })

  it('finds baskets hidden in an unknown wrapper of a file no container recognises', () => {
    const root = {results: {S0231L01: basket('ta zum', 'fe ril')}, done: true}
    expect(readContainer(root, hints)).toBeNull()
    expect(unread(root)).toEqual([{path: '$.results', kind: 'unread', message: 'holds 1 basket-shaped value(s) in a container wicker does not know; not used'}])
  })

  it('is null for files that hold no baskets (swarm uploads, reports)', () => {
    expect(readContainer({browserId: 'b1', agentId: 'a', seedRange: [1, 5], seeds: [{seed_id: 'S0001', seed_pair: {known: 'x', target: 'y'}, legos: []}]}, hints)).toBeNull()
    expect(readContainer({summary: 'done', total: 3, patterns: ['P01']}, hints)).toBeNull()
    expect(readContainer([1, 2, 3], hints)).toBeNull()
  })

  it('lists each format once, each with an invented example', () => {
    const ids = CONTAINERS.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(['F1', 'F10', 'F11', 'F12', 'F15', 'F16', 'F17', 'F2', 'F2b', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9'])
    for (const c of CONTAINERS) expect(c.example.length).toBeGreaterThan(10)
  })
})
