import {describe, expect, it} from 'vitest'

import {launchName} from '../../../src/core/extract/candidate.js'
import {WickerError} from '../../../src/core/errors.js'
import {parseShard, stagedName} from '../../../src/core/schemas/run-plan.js'
import {assignShards, shardLayout, shardPackets} from '../../../src/core/segments/shards.js'

/** packets numbered 1..n with LEGO counts from a small deterministic sequence (3..22) */
const packets = (n: number) => Array.from({length: n}, (_, i) => ({index: i + 1, legos: 3 + ((i * 7 + 5) % 20)}))

describe('shards of a prepared run', () => {
  it('puts every packet in exactly one shard, the same way every time', () => {
    for (const [n, count] of [[1, 1], [11, 3], [40, 7], [5, 8], [300, 256]] as const) {
      const list = packets(n)
      const a = assignShards(list, count)
      expect([...a.keys()].sort((x, y) => x - y)).toEqual(list.map((p) => p.index))
      for (const s of a.values()) expect(s).toBeGreaterThanOrEqual(1), expect(s).toBeLessThanOrEqual(count)
      // another machine, given the packets in another order, computes the same split
      expect(assignShards([...list].reverse(), count)).toEqual(a)
      // the shards' packet sets cover the run once: no packet is run twice, none is left out
      const union = Array.from({length: count}, (_, i) => [...shardPackets({run: 'r', packets: list.map((p) => ({...p, id: 'p', segment: 0, orchestrator: 0, seeds: []}))}, {index: i + 1, count})]).flat()
      expect(union.sort((x, y) => x - y)).toEqual(list.map((p) => p.index))
    }
  })

  it('balances shards by LEGO count, within the largest packet', () => {
    const list = packets(60)
    const layout = shardLayout(list, 7)
    const loads = layout.map((s) => s.legos)
    expect(loads.reduce((x, y) => x + y, 0)).toBe(list.reduce((x, p) => x + p.legos, 0))
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.max(...list.map((p) => p.legos)))
    // by packet count alone (round robin) the spread is wider: the split weighs LEGOs
    const robin = Array.from({length: 7}, (_, s) => list.filter((_, i) => i % 7 === s).reduce((x, p) => x + p.legos, 0))
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThan(Math.max(...robin) - Math.min(...robin))
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.min(...list.map((p) => p.legos)) + 1)
    for (const s of layout) expect(s.indexes).toEqual([...s.indexes].sort((x, y) => x - y))
  })

  it('leaves a shard empty when there are fewer packets than shards', () => {
    const layout = shardLayout(packets(2), 3)
    expect(layout.map((s) => s.packets).sort()).toEqual([0, 1, 1])
  })

  it('refuses a shard count other than the one the run was laid out in', () => {
    const plan = {run: 'r1', shards: 3, packets: packets(4).map((p) => ({...p, id: 'p', segment: 0, orchestrator: 0, seeds: []}))}
    expect(() => shardPackets(plan, {index: 1, count: 4})).toThrow(/laid out in 3 shard/)
    expect(shardPackets(plan, {index: 1, count: 3}).size).toBeGreaterThan(0)
  })

  it('reads --shard I/N and refuses what is not a shard, naming the flag', () => {
    expect(parseShard('2/3')).toEqual({index: 2, count: 3})
    expect(parseShard(' 10 / 256 ')).toEqual({index: 10, count: 256})
    for (const bad of ['0/3', '4/3', '3', '1/0', 'a/b', '-1/3', '1/10001', '1/3/4', '']) {
      let error: unknown
      try {
        parseShard(bad)
      } catch (e) {
        error = e
      }
      expect(error, bad).toBeInstanceOf(WickerError)
      expect((error as WickerError).code).toBe('E_SHARD')
      expect((error as WickerError).message).toContain('--shard')
    }
  })

  it('names a shard\'s outputs so that they still say which shard made them, and reads the name back', () => {
    const name = stagedName('run-7', 'p0123456789abcde', 2, {index: 2, count: 3})
    expect(name).toBe('run-7__p0123456789abcde__2__shard-2-of-3.json')
    expect(launchName(`x/y/${name}`)).toEqual({run: 'run-7', packet: 'p0123456789abcde', attempt: 2, shard: {index: 2, count: 3}})
    // the whole run (or a shard of one) keeps the name every earlier wicker wrote
    expect(stagedName('run-7', 'p0123456789abcde', 2, {index: 1, count: 1})).toBe('run-7__p0123456789abcde__2.json')
    expect(launchName('run-7__p0123456789abcde__2.json')?.shard).toBeNull()
    // renamed by serve (.2) or collect (.<12 hex>) because another file had the name: still that output
    expect(launchName(`${name.slice(0, -5)}.2.json`)).toEqual({run: 'run-7', packet: 'p0123456789abcde', attempt: 2, shard: {index: 2, count: 3}})
    expect(launchName(`${name.slice(0, -5)}.0a1b2c3d4e5f.json`)?.shard).toEqual({index: 2, count: 3})
    expect(launchName('run-7__p0123456789abcde__2.0a1b2c3d4e5f.json')).toMatchObject({attempt: 2, shard: null})
    // a name no launch writes says nothing about a shard
    expect(launchName('run-7__p0123456789abcde__2__shard-5-of-3.json')?.shard).toBeNull()
  })
})
