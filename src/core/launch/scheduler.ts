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
  attempt: (p: PreparedPacket, attempt: number) => Promise<AttemptOutcome | null>
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

  /** The failure limit (--halt), over the attempts that finished. */
  protected checkFailures(): void {
    const finished = [...this.outcomes.values()].filter((o) => !o.interrupted)
    const reason = haltForFailures(finished.length, finished.filter((o) => !o.staged).length, this.book.halt)
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
    const worker = async () => {
      while (queue.length > 0 && !this.stopped()) {
        const group = queue.shift()!
        try {
          await this.runGroup(group, tally)
        } catch (error) {
          // kept, not thrown here: the other workers' attempts must be stopped and awaited first
          this.fatal ??= {error}
          this.o.abort(error)
        }
      }
    }
    await Promise.all(Array.from({length: Math.max(1, Math.min(this.o.concurrency, queue.length))}, worker))
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
  private async runAttempts(items: Array<{packet: PreparedPacket; attempt: number}>): Promise<Array<AttemptOutcome | null>> {
    if (this.o.session) return this.o.session(items)
    return Promise.all(items.map((i) => this.o.attempt(i.packet, i.attempt)))
  }

  /**
   * Runs a group's packets (one packet, or an orchestrator session's group) until each is done,
   * failed or stopped: the packets that are to be retried go again together, after the longest of
   * their backoffs (a rate limit pauses the agent for every packet instead).
   */
  private async runGroup(group: PreparedPacket[], tally: SegmentTally): Promise<void> {
    let pending = group.map((p) => ({p, counters: {tries: 0, rateLimits: 0} as RetryCounters}))
    while (pending.length > 0) {
      await this.gate()
      if (this.stopped()) return
      const items = pending.map((x) => ({packet: x.p, attempt: nextAttempt(this.o.lastAttempt, x.p.id)}))
      const outcomes = await this.runAttempts(items)
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
        else this.checkFailures()
      }
      if (next.length > 0 && waitMs > 0) await sleep(waitMs, this.o.signal)
      pending = next
    }
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
