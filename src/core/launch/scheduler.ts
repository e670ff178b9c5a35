import type {PreparedPacket} from '../segments/packets.js'
import type {AttemptClass} from './classify.js'
import type {AttemptOutcome} from './attempt.js'
import {decide, haltForCost, haltForFailures, MAX_WAIT_MS, type RetryCounters} from './policy.js'
import type {LaunchEvent, SegmentTally} from './types.js'

/**
 * Runs the packets: segments one after another, the packets of a segment `concurrency` at a time,
 * each start `staggerMs` after the previous one (± jitter) and after any rate-limit pause. What to
 * do after each attempt is policy.ts's; the attempt itself is attempt.ts's.
 *
 * Stopping: once `signal` is aborted nothing more starts, and every sleep (stagger, backoff,
 * rate-limit pause) wakes at once; each running attempt is stopped by core/proc through the same
 * signal. A failure of the attempt's own I/O (the ledger cannot be written…) stops launching and
 * every running attempt too (through `abort`), and is thrown once they have all returned.
 */
export interface SchedulerOptions {
  concurrency: number
  staggerMs: number
  jitter: number
  retries: number
  backoffMs: number
  halt: number
  maxCostUsd: number | null
  agent: string
  /** the next attempt number of a packet is one more than this */
  lastAttempt: Map<string, number>
  /** stops everything: launch's signal, or a fatal failure here */
  signal: AbortSignal
  abort: (reason: unknown) => void
  /**
   * One attempt of one packet. It may call `exited` once its agent has exited and it knows the
   * attempt is ok (its output checked valid), before it stages the output and writes the ledger: the
   * slot is then free for the next start at once. The packet counts as done only when the attempt
   * returns (staged and ledgered); until then it counts as finishing well for --halt.
   */
  attempt: (p: PreparedPacket, attempt: number, exited?: (ok: {costUsd: number | null}) => void) => Promise<AttemptOutcome | null>
  /**
   * `launch --sessions orchestrator`: one session runs a group of packets (each with its own attempt)
   * and says what came of each (null: launch was stopped before it started). Without it, every
   * packet is a group of its own, run by `attempt`.
   */
  session?: (items: ReadonlyArray<{packet: PreparedPacket; attempt: number}>) => Promise<Array<AttemptOutcome | null>>
  /** packets per session at most (--group-size); with `session` only */
  groupSize?: number
  emit: (e: LaunchEvent) => void
  random?: () => number
  now?: () => number
}

export type PacketState = {class: AttemptClass; message: string; index: number; interrupted: boolean; staged: boolean}

/**
 * What a launch's runner (the Scheduler, or a batch agent's BatchRunner) keeps of the attempts that
 * ended: each packet's last outcome, the staged outputs, the attempts and their cost, and the halt
 * that the cost or failure limits call for (told once, as a `halt` event).
 */
export class AttemptBook {
  /** the last outcome of each packet attempted in this launch */
  readonly outcomes = new Map<string, PacketState>()
  readonly staged: string[] = []
  attempts = 0
  cost = 0
  haltReason: string | null = null

  constructor(private readonly book: {halt: number; maxCostUsd: number | null; emit: (e: LaunchEvent) => void}) {}

  protected halt(reason: string): void {
    if (this.haltReason) return
    this.haltReason = reason
    this.book.emit({type: 'halt', reason})
  }

  /** An attempt that ended: counted, its staged output and cost kept, and the cost limit checked. */
  protected record(packet: string, index: number, outcome: {class: AttemptClass; message: string; interrupted: boolean; staged: string | null; costUsd: number | null}): void {
    this.attempts++
    if (outcome.staged) this.staged.push(outcome.staged)
    if (outcome.costUsd) this.cost += outcome.costUsd
    this.outcomes.set(packet, {class: outcome.class, message: outcome.message, index, interrupted: outcome.interrupted, staged: outcome.staged !== null})
    const reason = haltForCost(this.cost, this.book.maxCostUsd)
    if (reason) this.halt(reason)
  }

  /** The failure limit (--halt), over the attempts that finished, those found ok and being staged included. */
  protected checkFailures(finishingOk = 0): void {
    const finished = [...this.outcomes.values()].filter((o) => !o.interrupted)
    const reason = haltForFailures(finished.length + finishingOk, finished.filter((o) => !o.staged).length, this.book.halt)
    if (reason) this.halt(reason)
  }
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve()
    const onAbort = () => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, Math.min(ms, MAX_WAIT_MS))
    signal?.addEventListener('abort', onAbort, {once: true})
  })

export class Scheduler extends AttemptBook {
  /** the first failure of launch's own I/O; thrown by runSegments once every attempt returned */
  private fatal: {error: unknown} | null = null
  private pausedUntil = 0
  private lastStart = 0
  /** attempts found ok whose output is being staged and ledgered now (their slot already given back) */
  private finishingOk = 0
  private readonly random: () => number
  private readonly now: () => number

  constructor(private readonly o: SchedulerOptions) {
    super(o)
    this.random = o.random ?? Math.random
    this.now = o.now ?? Date.now
  }

  stopped(): boolean {
    return this.haltReason !== null || this.o.signal.aborted
  }

  /** Runs every segment in turn; each tally's retries are counted in place. */
  async runSegments(segments: Array<{packets: PreparedPacket[]; tally: SegmentTally}>): Promise<void> {
    for (const segment of segments) {
      if (this.stopped()) break
      await this.runAll(segment.packets, segment.tally)
    }
    if (this.fatal) throw this.fatal.error
  }

  private async runAll(list: PreparedPacket[], tally: SegmentTally): Promise<void> {
    const queue = this.o.session ? sessionGroups(list, this.o.groupSize ?? 1) : list.map((p) => [p])
    const slots = new Slots(Math.max(1, this.o.concurrency))
    const running = new Set<Promise<void>>()
    while (queue.length > 0 && !this.stopped()) {
      await slots.take()
      if (this.stopped()) {
        slots.give()
        break
      }
      const group = queue.shift()!
      const done: Promise<void> = this.runGroup(group, tally, slots)
        .catch((error: unknown) => {
          // kept, not thrown here: the other attempts must be stopped and awaited first
          this.fatal ??= {error}
          this.o.abort(error)
        })
        .finally(() => running.delete(done))
      running.add(done)
    }
    while (running.size > 0) await Promise.all(running)
  }

  /** Waits for the stagger after the previous start, and for any rate-limit pause. */
  private async gate(): Promise<void> {
    for (;;) {
      const now = this.now()
      const jitter = this.o.staggerMs * this.o.jitter * (this.random() * 2 - 1)
      const next = Math.max(this.pausedUntil, this.lastStart + this.o.staggerMs + jitter)
      if (next <= now || this.stopped()) break
      await sleep(next - now, this.o.signal)
    }
    this.lastStart = this.now()
  }

  /** One attempt of every packet of the group: by its own agent, or by one session for all of them. */
  private async runAttempts(items: Array<{packet: PreparedPacket; attempt: number}>, exited: (ok: {costUsd: number | null}) => void): Promise<Array<AttemptOutcome | null>> {
    if (this.o.session) return this.o.session(items)
    if (items.length === 1) return [await this.o.attempt(items[0]!.packet, items[0]!.attempt, exited)]
    return Promise.all(items.map((i) => this.o.attempt(i.packet, i.attempt)))
  }

  /**
   * Runs a group's packets (one packet, or an orchestrator session's group) until each is done,
   * failed or stopped: the packets that are to be retried go again together, after the longest of
   * their backoffs (a rate limit pauses the agent for every packet instead). It is started holding
   * one of the `concurrency` slots, and holds one while an agent runs and while it waits to retry;
   * an attempt found ok gives it back as soon as its agent exited (see `attempt`).
   */
  private async runGroup(group: PreparedPacket[], tally: SegmentTally, slots: Slots): Promise<void> {
    let pending = group.map((p) => ({p, counters: {tries: 0, rateLimits: 0} as RetryCounters}))
    let holding = true
    const give = () => {
      if (holding) slots.give()
      holding = false
    }
    try {
      while (pending.length > 0) {
        if (!holding) {
          await slots.take()
          holding = true
        }
        pending = await this.runRound(pending, tally, give)
      }
    } finally {
      give()
    }
  }

  /** One round of a group: an attempt of each pending packet, and what is to be retried after it. */
  private async runRound(pending: Array<{p: PreparedPacket; counters: RetryCounters}>, tally: SegmentTally, give: () => void): Promise<Array<{p: PreparedPacket; counters: RetryCounters}>> {
    await this.gate()
    if (this.stopped()) return []
    const items = pending.map((x) => ({packet: x.p, attempt: nextAttempt(this.o.lastAttempt, x.p.id)}))
    let finishing = false
    const exited = ({costUsd}: {costUsd: number | null}) => {
      // with a cost limit, a reported cost is counted before anything more starts
      if (finishing || (costUsd && this.o.maxCostUsd !== null)) return
      finishing = true
      this.finishingOk++
      give()
    }
    let outcomes: Array<AttemptOutcome | null>
    try {
      outcomes = await this.runAttempts(items, exited)
    } finally {
      if (finishing) this.finishingOk--
    }
    const next: typeof pending = []
    let waitMs = 0
    for (const [i, {p, counters}] of pending.entries()) {
      const attempt = items[i]!.attempt
      const outcome = outcomes[i] ?? null
      if (outcome === null) continue // launch stopped before the agent started: the packet did not start
      this.o.lastAttempt.set(p.id, attempt)
      this.record(p.id, p.index, outcome)
      // ok, failed, interrupted and not started are counted from the outcomes at the end (launch.ts)
      if (outcome.staged || outcome.interrupted) continue
      const decision = decide(outcome, counters, this.o, this.random)
      if (decision.action === 'retry' || decision.action === 'pause') {
        next.push({p, counters: decision.counters})
        tally.retried++
        if (decision.action === 'pause') {
          // a rate limit pauses this agent for every packet
          this.pausedUntil = Math.max(this.pausedUntil, this.now() + decision.inMs)
          this.o.emit({type: 'pause', agent: this.o.agent, untilMs: decision.inMs, reason: outcome.message})
        } else {
          this.o.emit({type: 'retry', packet: p.id, index: p.index, attempt: attempt + 1, inMs: decision.inMs})
          waitMs = Math.max(waitMs, decision.inMs)
        }
        continue
      }
      if (decision.action === 'halt') this.halt(`${outcome.class} on ${p.id}: ${decision.reason}`)
      else this.checkFailures(this.finishingOk)
    }
    if (next.length > 0 && waitMs > 0) await sleep(waitMs, this.o.signal)
    return next
  }
}

/** The `concurrency` slots of a segment: taken in the order asked for. */
class Slots {
  private readonly waiting: Array<() => void> = []

  constructor(private free: number) {}

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  give(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.free++
  }
}

/**
 * The groups of `launch --sessions orchestrator`: the packets of one prepared orchestrator group (the
 * run plan's `orchestrator`) stay together, at most `size` to a session, in the run's order.
 */
export function sessionGroups(list: readonly PreparedPacket[], size: number): PreparedPacket[][] {
  const byOrchestrator = new Map<number, PreparedPacket[]>()
  for (const p of list) byOrchestrator.set(p.orchestrator, [...(byOrchestrator.get(p.orchestrator) ?? []), p])
  const groups: PreparedPacket[][] = []
  for (const members of byOrchestrator.values()) for (let i = 0; i < members.length; i += size) groups.push(members.slice(i, i + size))
  return groups
}

/** A packet's next attempt number: one past the highest in the ledger and in staging. */
export function nextAttempt(lastAttempt: ReadonlyMap<string, number>, packet: string): number {
  return (lastAttempt.get(packet) ?? 0) + 1
}
