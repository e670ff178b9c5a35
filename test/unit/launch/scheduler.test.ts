import {describe, expect, it} from 'vitest'

import type {AttemptOutcome} from '../../../src/core/launch/attempt.js'
import {countOutcomes} from '../../../src/core/launch/counts.js'
import {Scheduler, type SchedulerOptions} from '../../../src/core/launch/scheduler.js'
import type {LaunchEvent, SegmentTally} from '../../../src/core/launch/types.js'
import type {PreparedPacket} from '../../../src/core/segments/packets.js'

/** The scheduler with attempts played by a function: no processes, no disk. */
const packets = [1, 2, 3].map((index): PreparedPacket => ({index, id: `p${String(index).padStart(15, '0')}`, segment: 0, orchestrator: 0, seeds: [], legos: 1}))
const tally = (): SegmentTally => ({index: 1, ok: 0, failed: 0, retried: 0, skipped: 0, interrupted: 0, notStarted: 0})
const outcome = (o: Partial<AttemptOutcome>): AttemptOutcome => ({class: 'ok', message: 'm', resetInMs: null, interrupted: false, staged: null, costUsd: null, ...o})

function scheduler(attempt: SchedulerOptions['attempt'], extra: Partial<SchedulerOptions> = {}) {
  const controller = new AbortController()
  const events: LaunchEvent[] = []
  const s = new Scheduler({concurrency: 1, staggerMs: 0, jitter: 0, retries: 2, backoffMs: 10, halt: Number.POSITIVE_INFINITY, maxCostUsd: null, agent: 'command', lastAttempt: new Map(), signal: controller.signal, abort: () => controller.abort(), attempt, emit: (e) => events.push(e), random: () => 0, ...extra})
  return {s, controller, events}
}

async function timed(work: Promise<unknown>): Promise<number> {
  const started = Date.now()
  await work
  return Date.now() - started
}

describe('the scheduler stops at once when its signal is aborted', () => {
  it('a rate-limit pause of a minute wakes at once, and nothing more starts', async () => {
    let calls = 0
    const {s, controller} = scheduler(async () => (calls++, outcome({class: 'rate-limited', resetInMs: 60_000})))
    const t = tally()
    setTimeout(() => controller.abort(), 50)
    expect(await timed(s.runSegments([{packets, tally: t}]))).toBeLessThan(1000)
    expect(calls).toBe(1)
    expect(t).toMatchObject({ok: 0, retried: 1})
  })

  it('a stagger of a minute between starts wakes at once', async () => {
    let calls = 0
    const {s, controller} = scheduler(async () => (calls++, outcome({staged: 'x.json'})), {staggerMs: 60_000})
    setTimeout(() => controller.abort(), 50)
    expect(await timed(s.runSegments([{packets, tally: tally()}]))).toBeLessThan(1000)
    expect(calls).toBe(1)
  })

  it('counts an attempt stopped with its output staged as ok, one stopped without as interrupted', async () => {
    const {s} = scheduler(async (p) => outcome({interrupted: true, staged: p.index === 1 ? 'a.json' : null, class: p.index === 1 ? 'ok' : 'crash'}), {concurrency: 3})
    const t = tally()
    await s.runSegments([{packets, tally: t}])
    expect(countOutcomes(packets, s.outcomes)).toEqual({ok: 1, interrupted: 2, failed: 0, notStarted: 0})
    expect(t.retried).toBe(0)
  })

  it('a failed packet whose retry a stop cuts short is failed, once, wherever it is counted; the rest not started', async () => {
    const {s, controller} = scheduler(async () => outcome({class: 'crash'}), {backoffMs: 60_000})
    const t = tally()
    setTimeout(() => controller.abort(), 50)
    await s.runSegments([{packets, tally: t}])
    expect(countOutcomes(packets, s.outcomes)).toEqual({ok: 0, interrupted: 0, failed: 1, notStarted: 2})
    expect(t.retried).toBe(1)
  })
})

describe('a failure of launch\'s own I/O', () => {
  it('stops every running attempt, and is thrown only once they have all returned', async () => {
    let firstReturned = false
    const controller = new AbortController()
    const s = new Scheduler({
      concurrency: 2, staggerMs: 0, jitter: 0, retries: 0, backoffMs: 10, halt: 1, maxCostUsd: null, agent: 'command', lastAttempt: new Map(),
      signal: controller.signal,
      abort: () => controller.abort(),
      emit: () => undefined,
      attempt: async (p) => {
        if (p.index === 2) throw new Error('ledger write failed')
        // attempt 1 runs until it is stopped through the signal
        await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), {once: true}))
        firstReturned = true
        return outcome({interrupted: true})
      },
    })
    await expect(s.runSegments([{packets, tally: tally()}])).rejects.toThrow('ledger write failed')
    expect(firstReturned).toBe(true)
  })
})

describe('a slot is free once an attempt is found ok, while its output is staged', () => {
  /** Attempts whose agents "exit" at once and whose staging waits for `release`; the log says what happened in which order. */
  function stagingWaits(options: {ok: boolean; costUsd?: number | null}) {
    const log: string[] = []
    const releases: Array<() => void> = []
    let agents = 0
    let most = 0
    const attempt: SchedulerOptions['attempt'] = async (p, _attempt, exited) => {
      log.push(`start ${p.index}`)
      most = Math.max(most, ++agents)
      await new Promise((resolve) => setTimeout(resolve, 5))
      agents--
      if (options.ok) exited?.({costUsd: options.costUsd ?? null})
      await new Promise<void>((resolve) => releases.push(resolve))
      log.push(`end ${p.index}`)
      return outcome(options.ok ? {staged: `${p.index}.json`, costUsd: options.costUsd ?? null} : {class: 'crash'})
    }
    const release = async () => {
      // lets every attempt that can start start, then ends the oldest unfinished one
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        const next = releases.shift()
        if (!next) return
        next()
      }
    }
    return {log, attempt, release, most: () => most}
  }

  it('the next agent starts before the previous attempt ended; every packet is ok only once staged; never more agents than --concurrency', async () => {
    const w = stagingWaits({ok: true})
    const {s} = scheduler(w.attempt, {concurrency: 1})
    const t = tally()
    const run = s.runSegments([{packets, tally: t}])
    await w.release()
    await run
    expect(w.log.indexOf('start 2')).toBeLessThan(w.log.indexOf('end 1'))
    expect(w.log.indexOf('start 3')).toBeLessThan(w.log.indexOf('end 2'))
    expect(w.most()).toBe(1)
    expect(countOutcomes(packets, s.outcomes)).toEqual({ok: 3, interrupted: 0, failed: 0, notStarted: 0})
    expect(s.staged).toEqual(['1.json', '2.json', '3.json'])
  })

  it('a failed attempt keeps its slot until it is decided (retry, halt): nothing else starts meanwhile', async () => {
    const w = stagingWaits({ok: false})
    const {s} = scheduler(w.attempt, {concurrency: 1, retries: 0})
    const run = s.runSegments([{packets, tally: tally()}])
    await w.release()
    await run
    expect(w.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'])
  })

  it('with --max-cost-usd, an attempt that reported a cost keeps its slot until the cost is counted', async () => {
    const w = stagingWaits({ok: true, costUsd: 1})
    const {s} = scheduler(w.attempt, {concurrency: 1, maxCostUsd: 2})
    const run = s.runSegments([{packets, tally: tally()}])
    await w.release()
    await run
    // the second attempt reached the limit: the third never started
    expect(w.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2'])
    expect(s.haltReason).toContain('--max-cost-usd')
  })
})
