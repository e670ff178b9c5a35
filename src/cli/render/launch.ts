import type {Estimate} from '../../core/launch/estimate.js'
import {describeEstimate} from '../../core/launch/estimate.js'
import type {LaunchEvent, LaunchResult} from '../../core/launch/launch.js'
import {canWrite, writeTo} from '../closed-pipes.js'
import type {Ui} from '../ui.js'
import {LaunchBoard, launchFrame} from './launch-board.js'
import {table} from './table.js'
import {shellArg} from '../../core/text/shell-arg.js'

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`

/** launch's own events, plus the estimate the command works out from the plan */
export type ProgressEvent = LaunchEvent | ({type: 'estimate'} & Estimate)

export interface LaunchProgress {
  event(e: ProgressEvent): void
  /** a line for the person (the stop notice), printed without tearing the live view */
  say(line: string): void
  /** a stop was asked for: packets not started yet are "not started", not queued */
  stopping(): void
  done(): Promise<void>
}

/** Progress while agents run: a live view on a terminal, plain lines in CI, NDJSON on stderr with --json. */
export function launchProgress(ui: Ui, stream: NodeJS.WriteStream = process.stderr): LaunchProgress {
  const mode = ui.policy.progress
  if (mode === 'ndjson') return {event: (e) => writeTo(stream, `${JSON.stringify(e)}\n`), say: () => undefined, stopping: () => undefined, done: async () => undefined}
  if (mode === 'none') return {event: () => undefined, say: (line) => ui.info(line), stopping: () => undefined, done: async () => undefined}
  if (mode === 'lines') return lineProgress(ui)
  return liveView(ui, stream)
}

/** "batch msgbatch_01… (anthropic, 120 requests): in_progress — 80 processing, 38 succeeded, 2 errored, 0 expired, 0 canceled" */
function batchLine(e: Extract<LaunchEvent, {type: 'batch'}>): string {
  const c = e.counts
  return `batch ${e.batch} (${e.provider}, ${e.requests} request(s)): ${e.status} — ${c.processing} processing, ${c.succeeded} succeeded, ${c.errored} errored, ${c.expired} expired, ${c.canceled} canceled`
}

function lineProgress(ui: Ui): LaunchProgress {
  return {
    event(e) {
      if (e.type === 'plan') ui.info(`run ${e.run}: ${e.todo.length} of ${e.packets} packet(s) to do`)
      else if (e.type === 'estimate') ui.info(`estimate: ${describeEstimate(e)}`)
      else if (e.type === 'start') ui.info(`#${e.index} ${e.packet} attempt ${e.attempt} started (pid ${e.pid})`)
      else if (e.type === 'end') ui.info(`#${e.index} ${e.packet} attempt ${e.attempt}: ${e.class} in ${secs(e.durationMs)}${e.class === 'ok' ? '' : ` — ${e.message}`}`)
      else if (e.type === 'retry') ui.info(`#${e.index} ${e.packet}: retry in ${secs(e.inMs)}`)
      else if (e.type === 'pause') ui.info(`${e.agent} paused for ${secs(e.untilMs)}: ${e.reason}`)
      else if (e.type === 'halt') ui.info(`halted: ${e.reason}`)
      else if (e.type === 'batch') ui.info(batchLine(e))
      else if (e.type === 'interrupted') ui.info(`#${e.index} ${e.packet} attempt ${e.attempt}: interrupted${e.staged ? ` (its finished output was staged: ${e.staged})` : ''}`)
    },
    say: (line) => ui.info(line),
    stopping: () => undefined,
    done: async () => undefined,
  }
}

/**
 * A terminal: one frame redrawn in place (a header with the counts, the running packets, the
 * latest failures), sized to the terminal every time it is drawn, so it fits after a resize too.
 * Not a task per packet: with 132 packets on 40 rows that showed only queued rows.
 */
function liveView(ui: Ui, stream: NodeJS.WriteStream): LaunchProgress {
  const board = new LaunchBoard(Date.now())
  let drawn = 0
  const size = () => ({rows: stream.rows || 24, columns: stream.columns || 80})
  const erase = () => {
    // back to the frame's first line, and clear from there down
    if (drawn > 0) writeTo(stream, `\r\u001B[${drawn}A\u001B[0J`)
    drawn = 0
  }
  const draw = () => {
    if (!canWrite(stream) || board.run === '') return
    const lines = launchFrame(board, size(), Date.now())
    erase()
    writeTo(stream, `${lines.join('\n')}\n`)
    drawn = lines.length
  }
  const timer = setInterval(draw, 500)
  timer.unref()
  return {
    event(e) {
      if (e.type === 'estimate') {
        erase()
        ui.info(`estimate: ${describeEstimate(e)}`)
        return draw()
      }
      if (e.type === 'batch') {
        erase()
        ui.info(batchLine(e))
      }
      if (e.type === 'pause') {
        erase()
        ui.info(`${e.agent} paused for ${secs(e.untilMs)}: ${e.reason}`)
      }
      board.apply(e, Date.now())
      draw()
    },
    say(line) {
      erase()
      ui.info(line)
      draw()
    },
    stopping() {
      board.stopping = true
      draw()
    },
    async done() {
      clearInterval(timer)
      draw()
    },
  }
}

export function renderLaunch(ui: Ui, r: LaunchResult & {estimate?: Estimate | null}, course: string): void {
  const c = ui.chalk
  for (const line of table(['segment', 'ok', 'failed', 'retried', 'skipped'], r.segments.map((s) => [s.index, s.ok, s.failed, s.retried, s.skipped]))) ui.out(line)
  ui.out()
  const p = r.packets
  const parts = [
    c.green(`${p.ok} ok`),
    p.failed > 0 ? c.red(`${p.failed} failed`) : '0 failed',
    ...(p.interrupted > 0 ? [c.yellow(`${p.interrupted} interrupted`)] : []),
    ...(p.notStarted > 0 ? [`${p.notStarted} not started`] : []),
    `${p.skipped} skipped`,
  ]
  ui.out(`Run ${c.bold(r.run)}${r.shard ? `, shard ${r.shard}` : ''} (${r.agent}): ${parts.join(', ')} of ${p.total} packet(s), ${r.attempts} attempt(s)${r.costUsd !== null ? `, $${r.costUsd.toFixed(2)} reported` : ''}.`)
  if (r.estimate) ui.out(c.dim(`Estimated before the start: ${describeEstimate(r.estimate)}.`))
  for (const f of r.failures.slice(0, 20)) ui.out(`  ${c.red(f.class)} #${f.index} ${f.packet}: ${f.message}`)
  if (r.uploads) {
    const u = r.uploads
    ui.out(`Uploads to ${u.url}: ${u.sent} sent, ${u.already} already delivered, ${u.failed > 0 ? c.red(`${u.failed} failed`) : '0 failed'}.${u.failed > 0 ? ' Run the same command again to send them.' : ''}`)
    for (const f of u.failures.slice(0, 20)) ui.out(`  ${c.red(f.status === null ? 'not sent' : String(f.status))} ${f.name}: ${f.message}`)
    if (u.failures.length > 20) ui.out(`  … and ${u.failures.length - 20} more`)
  }
  if (r.halted) ui.out(c.yellow(`Halted: ${r.halted}`))
  if (r.interrupted) ui.out(c.yellow(`Interrupted: every agent was stopped${p.interrupted > 0 ? `; ${p.interrupted} attempt(s) cut short` : ''}${p.notStarted > 0 ? `, ${p.notStarted} packet(s) not started` : ''}. Run the same command again to resume.`))
  ui.info(`${r.staged.length} output(s) staged. Ledger: ${r.ledger}. Next: wicker extract ${shellArg(course)}, then wicker preview ${shellArg(course)}.`)
}
