import type {LaunchEvent} from '../../core/launch/launch.js'

/**
 * What the live view of launch knows, built from launch's events alone: counts, the packets
 * running now and the latest failures. Pure, so the frame it draws can be checked without a
 * terminal; the view that paints it is in launch.ts.
 */
export interface Running {
  packet: string
  index: number
  attempt: number
  pid: number | null
  since: number
}

export interface Failure {
  packet: string
  index: number
  attempt: number
  class: string
  message: string
}

type State = 'queued' | 'running' | 'retrying' | 'ok' | 'failed' | 'interrupted'

export class LaunchBoard {
  run = ''
  todo = 0
  skipped = 0
  costUsd = 0
  stopping = false
  halted: string | null = null
  readonly running = new Map<string, Running>()
  readonly failures: Failure[] = []
  private readonly states = new Map<string, State>()
  private finishedMs: number[] = []

  constructor(readonly startedAt: number) {}

  apply(e: LaunchEvent, now: number): void {
    switch (e.type) {
      case 'plan':
        this.run = e.run
        this.todo = e.todo.length
        for (const t of e.todo) this.states.set(t.packet, 'queued')
        break
      case 'skip':
        this.skipped++
        break
      case 'start':
        this.states.set(e.packet, 'running')
        this.running.set(e.packet, {packet: e.packet, index: e.index, attempt: e.attempt, pid: e.pid, since: now})
        break
      case 'end':
        this.running.delete(e.packet)
        this.states.set(e.packet, e.class === 'ok' ? 'ok' : 'failed')
        if (e.costUsd) this.costUsd += e.costUsd
        this.finishedMs.push(now)
        if (e.class !== 'ok') this.failures.push({packet: e.packet, index: e.index, attempt: e.attempt, class: e.class, message: e.message})
        break
      case 'retry':
        this.states.set(e.packet, 'retrying')
        break
      case 'interrupted':
        this.running.delete(e.packet)
        this.states.set(e.packet, e.staged ? 'ok' : 'interrupted')
        break
      case 'halt':
        this.halted = e.reason
        break
      case 'pause':
        break
    }
  }

  counts(): Record<State, number> {
    const out: Record<State, number> = {queued: 0, running: 0, retrying: 0, ok: 0, failed: 0, interrupted: 0}
    for (const s of this.states.values()) out[s]++
    return out
  }

  /** ms until the rest is done at the pace so far (finished attempts per ms), null before the first */
  etaMs(now: number): number | null {
    const c = this.counts()
    const left = c.queued + c.running + c.retrying
    if (this.finishedMs.length === 0 || left === 0) return left === 0 ? 0 : null
    const pace = this.finishedMs.length / Math.max(1, now - this.startedAt)
    return left / pace
  }
}

export const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(s / 3600)
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, '0')
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

/** Cuts a line to the terminal width (code points; packet ids and messages are mostly ASCII). */
export function fit(line: string, columns: number): string {
  const chars = [...line]
  return chars.length <= columns ? line : `${chars.slice(0, Math.max(0, columns - 1)).join('')}…`
}

const FAILURES_SHOWN = 3

/**
 * One frame: a header with the counts, then as many running packets as fit, then the latest
 * failures. Never taller than rows - 1 (the cursor's line) nor wider than columns - 1, so a frame
 * is redrawn in place on any terminal, with any number of packets.
 */
export function launchFrame(board: LaunchBoard, size: {rows: number; columns: number}, now: number): string[] {
  const width = Math.max(20, size.columns - 1)
  const height = Math.max(1, size.rows - 1)
  const c = board.counts()
  const eta = board.etaMs(now)
  const waiting = c.queued + c.retrying
  // the run's name last: on a narrow terminal the cut takes it, not the counts
  const header = [
    `${c.ok} done`,
    `${c.running} running`,
    `${c.failed} failed`,
    ...(c.interrupted > 0 ? [`${c.interrupted} interrupted`] : []),
    board.stopping ? `${waiting} not started` : `${waiting} queued`,
    `${clock(now - board.startedAt)} elapsed`,
    `ETA ${board.stopping ? '—' : eta === null ? '…' : clock(eta)}`,
    `$${board.costUsd.toFixed(2)}`,
    board.run,
  ].join(' · ')
  const lines = [fit(header, width)]
  if (board.stopping) lines.push(fit('stopping: no new agents; every running agent is being stopped…', width))
  else if (board.halted) lines.push(fit(`halted: ${board.halted}`, width))
  const failures = board.failures.slice(-FAILURES_SHOWN).reverse()
  const failureRows = failures.length > 0 ? 1 + failures.length : 0
  const running = [...board.running.values()].sort((a, b) => a.index - b.index)
  // the failures keep their rows unless that leaves fewer than two (title + one) for the running packets
  const room = height - lines.length - Math.min(failureRows, Math.max(0, height - lines.length - 2))
  if (running.length > 0 && room >= 2) {
    const shown = running.length <= room - 1 ? running : running.slice(0, Math.max(0, room - 2))
    lines.push(fit('running', width))
    for (const r of shown) lines.push(fit(`  #${r.index} ${r.packet} · attempt ${r.attempt} · ${clock(now - r.since)}${r.pid ? ` · pid ${r.pid}` : ''}`, width))
    if (shown.length < running.length) lines.push(fit(`  … ${running.length - shown.length} more running`, width))
  }
  if (failures.length > 0 && height - lines.length >= 2) {
    lines.push(fit('latest failures', width))
    for (const f of failures.slice(0, height - lines.length)) lines.push(fit(`  #${f.index} ${f.packet} · attempt ${f.attempt} · ${f.class}: ${f.message.replace(/\s+/g, ' ')}`, width))
  }
  return lines.slice(0, height)
}
