import {describe, expect, it} from 'vitest'

import {selectPackets} from '../../../src/core/launch/selector.js'
import type {PreparedPacket} from '../../../src/core/segments/packets.js'

const packet = (index: number): PreparedPacket => ({index, id: `p${String(index).padStart(15, '0')}`, segment: 0, orchestrator: 0, seeds: [`S000${index}`], legos: 2})
const P = [1, 2, 3, 4].map(packet)
const id = (n: number) => P[n - 1]!.id

describe('selectPackets: what a launch runs, from plan + ledger + staging', () => {
  const cases: Array<{name: string; only?: number[]; retryFailed?: boolean; attempted?: number[]; done?: number[]; todo: number[]; skipped: Array<[number, RegExp]>}> = [
    {name: 'a fresh run runs every packet', todo: [1, 2, 3, 4], skipped: []},
    {name: 'a packet with an accepted output is skipped as done, naming the file', done: [2], todo: [1, 3, 4], skipped: [[2, /^done: staging\/p0+2\.json$/]]},
    {name: 'a failed packet without output runs again (resume)', attempted: [1, 3], done: [3], todo: [1, 2, 4], skipped: [[3, /done/]]},
    {name: '--retry-failed runs only packets with an ended attempt and no output', retryFailed: true, attempted: [1, 3], done: [3], todo: [1], skipped: [[2, /never attempted/], [3, /done/], [4, /never attempted/]]},
    {name: '--only picks by number, in plan order', only: [4, 2], todo: [2, 4], skipped: []},
    {name: '--only with a done packet skips it', only: [2, 3], done: [3], todo: [2], skipped: [[3, /done/]]},
  ]
  for (const c of cases) {
    it(c.name, () => {
      const selection = selectPackets({
        packets: P,
        only: c.only ? new Set(c.only) : null,
        retryFailed: c.retryFailed ?? false,
        attempted: new Set((c.attempted ?? []).map(id)),
        done: new Map((c.done ?? []).map((n) => [id(n), `staging/${id(n)}.json`])),
      })
      expect(selection.todo.map((p) => p.index)).toEqual(c.todo)
      expect(selection.skipped.map((s) => s.packet.index)).toEqual(c.skipped.map(([n]) => n))
      selection.skipped.forEach((s, i) => expect(s.reason).toMatch(c.skipped[i]![1]))
      expect(selection.picked).toBe(c.todo.length + c.skipped.length)
    })
  }
})
