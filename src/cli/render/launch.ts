import type {LaunchEvent, LaunchResult} from '../../core/launch/launch.js'
import type {Ui} from '../ui.js'
import {table} from './table.js'

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`

/** Progress while agents run: a live task list on a terminal, plain lines in CI, NDJSON on stderr with --json. */
export async function launchProgress(ui: Ui): Promise<{event: (e: LaunchEvent) => void; done: () => Promise<void>}> {
  const mode = ui.policy.progress
  if (mode === 'ndjson') return {event: (e) => process.stderr.write(`${JSON.stringify(e)}\n`), done: async () => undefined}
  if (mode === 'none') return {event: () => undefined, done: async () => undefined}
  if (mode === 'lines') {
    return {
      event(e) {
        if (e.type === 'plan') ui.info(`run ${e.run}: ${e.todo.length} of ${e.packets} packet(s) to do`)
        else if (e.type === 'start') ui.info(`#${e.index} ${e.packet} attempt ${e.attempt} started (pid ${e.pid})`)
        else if (e.type === 'end') ui.info(`#${e.index} ${e.packet} attempt ${e.attempt}: ${e.class} in ${secs(e.durationMs)}${e.class === 'ok' ? '' : ` — ${e.message}`}`)
        else if (e.type === 'retry') ui.info(`#${e.index} ${e.packet}: retry in ${secs(e.inMs)}`)
        else if (e.type === 'pause') ui.info(`${e.agent} paused for ${secs(e.untilMs)}: ${e.reason}`)
        else if (e.type === 'halt') ui.info(`halted: ${e.reason}`)
      },
      done: async () => undefined,
    }
  }
  // A terminal: one listr2 task per packet to do, each finishing when its packet does.
  const {Listr} = await import('listr2')
  const options = await ui.listrOptions()
  interface Slot {
    settle: (error?: Error) => void
    title: (t: string) => void
    last: string
  }
  const slots = new Map<string, Slot>()
  let running: Promise<unknown> = Promise.resolve()
  return {
    event(e) {
      if (e.type === 'plan') {
        const tasks = e.todo.map(({packet, index}) => {
          let settle!: (error?: Error) => void
          const finished = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())))
          const slot: Slot = {settle, title: (t) => void (slot.last = t), last: `#${index} ${packet} · queued`}
          slots.set(packet, slot)
          return {
            title: slot.last,
            task: async (_ctx: unknown, task: {title: string}) => {
              // events may have come before listr ran this task: show the latest
              task.title = slot.last
              slot.title = (t) => {
                slot.last = t
                task.title = t
              }
              await finished
            },
          }
        })
        running = new Listr(tasks, {...options, concurrent: true, exitOnError: false}).run().catch(() => undefined)
        return
      }
      if (e.type === 'start') slots.get(e.packet)?.title(`#${e.index} ${e.packet} · attempt ${e.attempt} · pid ${e.pid}`)
      if (e.type === 'retry') slots.get(e.packet)?.title(`#${e.index} ${e.packet} · retry in ${secs(e.inMs)}`)
      if (e.type === 'end') {
        const slot = slots.get(e.packet)
        slot?.title(`#${e.index} ${e.packet} · ${e.class} in ${secs(e.durationMs)}${e.class === 'ok' ? '' : ` — ${e.message}`}`)
        if (e.class === 'ok') slot?.settle()
      }
    },
    async done() {
      for (const slot of slots.values()) slot.settle(new Error(slot.last))
      await running
    },
  }
}

export function renderLaunch(ui: Ui, r: LaunchResult): void {
  const c = ui.chalk
  for (const line of table(['segment', 'ok', 'failed', 'retried', 'skipped'], r.segments.map((s) => [s.index, s.ok, s.failed, s.retried, s.skipped]))) ui.out(line)
  ui.out()
  ui.out(`Run ${c.bold(r.run)} (${r.agent}): ${c.green(`${r.packets.ok} ok`)}, ${r.packets.failed > 0 ? c.red(`${r.packets.failed} failed`) : '0 failed'}, ${r.packets.skipped} skipped, ${r.attempts} attempt(s)${r.costUsd !== null ? `, $${r.costUsd.toFixed(2)} reported` : ''}.`)
  for (const f of r.failures.slice(0, 20)) ui.out(`  ${c.red(f.class)} #${f.index} ${f.packet}: ${f.message}`)
  if (r.halted) ui.out(c.yellow(`Halted: ${r.halted}`))
  if (r.interrupted) ui.out(c.yellow('Interrupted: every agent was stopped. Run the same command again to resume.'))
  ui.info(`${r.staged.length} output(s) staged. Ledger: ${r.ledger}. Next: wicker extract <course>, then wicker preview.`)
}
