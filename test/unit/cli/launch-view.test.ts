import {describe, expect, it} from 'vitest'

import {LaunchBoard, launchFrame} from '../../../src/cli/render/launch-board.js'
import {DEFAULT_OUTPUT_TOKENS_PER_LEGO, describeEstimate, estimateLaunch} from '../../../src/core/launch/estimate.js'
import type {LaunchEvent} from '../../../src/core/launch/launch.js'

const id = (i: number) => `p${String(i).padStart(15, '0')}`

/** 132 packets: 20 done, 2 failed for good, 8 running, the rest queued. */
function busyBoard(t0 = 1_000_000): LaunchBoard {
  const board = new LaunchBoard(t0)
  const todo = Array.from({length: 132}, (_, i) => ({packet: id(i + 1), index: i + 1, legos: 4, promptChars: 7000}))
  const events: LaunchEvent[] = [{type: 'plan', run: 'run-kelvotra', packets: 132, todo, segments: 1}]
  for (let i = 1; i <= 30; i++) events.push({type: 'start', packet: id(i), index: i, attempt: 1, pid: 4000 + i})
  for (let i = 1; i <= 22; i++) {
    const ok = i !== 5 && i !== 11
    events.push({type: 'end', packet: id(i), index: i, attempt: 1, class: ok ? 'ok' : 'timeout', message: ok ? 'ok' : `no output for 5m (brelmix ${i})`, durationMs: 1000, staged: null, costUsd: 0.01})
  }
  for (const e of events) board.apply(e, t0 + 60_000)
  return board
}

describe('the live view of launch', () => {
  it('fits 132 packets on a 40×100 terminal: counts in the header, running packets and latest failures below', () => {
    const frame = launchFrame(busyBoard(), {rows: 40, columns: 100}, 1_000_000 + 120_000)
    expect(frame.length).toBeLessThanOrEqual(39)
    expect(frame.every((l) => [...l].length <= 99)).toBe(true)
    expect(frame[0]).toMatch(/^20 done · 8 running · 2 failed · 102 queued · 2:00 elapsed · ETA \d+:\d\d · \$0\.22/)
    expect(frame.filter((l) => l.startsWith('  #')).length).toBe(10) // 8 running + 2 failures, never a row per packet
    expect(frame).toContain('latest failures')
    expect(frame.some((l) => l.includes('#11') && l.includes('timeout: no output for 5m'))).toBe(true)
  })

  it.each([
    [10, 100],
    [6, 40],
    [3, 30],
  ])('stays inside a %i×%i terminal, header first', (rows, columns) => {
    const frame = launchFrame(busyBoard(), {rows, columns}, 1_000_000 + 120_000)
    expect(frame.length).toBeLessThanOrEqual(rows - 1)
    expect(frame.every((l) => [...l].length <= Math.max(20, columns - 1))).toBe(true)
    expect(frame[0]).toMatch(/^20 done · 8 running/)
    if (rows >= 6) expect(frame.some((l) => /more running/.test(l))).toBe(true)
  })

  it('after a stop, packets that never started are "not started", interrupted ones are counted apart', () => {
    const board = busyBoard()
    board.stopping = true
    for (let i = 23; i <= 30; i++) board.apply({type: 'interrupted', packet: id(i), index: i, attempt: 1, staged: i === 30 ? 'phase5_baskets_staging/x.json' : null}, 1_000_000 + 61_000)
    const c = board.counts()
    expect(c).toMatchObject({ok: 21, failed: 2, interrupted: 7, running: 0, queued: 102})
    expect(c.ok + c.failed + c.interrupted + c.queued + c.running + c.retrying).toBe(132)
    const header = launchFrame(board, {rows: 40, columns: 200}, 1_000_000 + 62_000)[0]!
    expect(header).toContain('7 interrupted · 102 not started')
    expect(header).not.toContain('queued')
  })
})

describe('the estimate before a launch', () => {
  const todo = [
    {legos: 20, promptChars: 40_000},
    {legos: 10, promptChars: 20_000},
  ]
  it('counts packets, LEGOs and prompt tokens (chars / 4) without prices', () => {
    const e = estimateLaunch(todo, null)
    expect(e).toEqual({packets: 2, legos: 30, promptChars: 60_000, promptTokens: 15_000, outputTokens: null, expectedUsd: null})
    expect(describeEstimate(e)).toBe('2 packet(s), 30 LEGO(s), ≈ 15k prompt tokens, cost unknown (no prices for this agent in the config)')
  })

  it('prices input and output from the config', () => {
    const e = estimateLaunch(todo, {inputUsdPerMTok: 3, outputUsdPerMTok: 15})
    expect(e.outputTokens).toBe(30 * DEFAULT_OUTPUT_TOKENS_PER_LEGO)
    expect(e.expectedUsd).toBeCloseTo((15_000 * 3 + 12_000 * 15) / 1e6, 10)
    expect(estimateLaunch(todo, {inputUsdPerMTok: 1, outputUsdPerMTok: 2, outputTokensPerLego: 100}).expectedUsd).toBeCloseTo((15_000 + 3000 * 2) / 1e6, 10)
  })
})
