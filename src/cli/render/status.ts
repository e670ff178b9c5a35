import type {StatusResult} from '../../core/status/status.js'
import type {Ui} from '../ui.js'
import {percent} from './table.js'

export function renderStatus(ui: Ui, r: StatusResult): void {
  const c = ui.chalk
  ui.out(`${c.bold(r.course)}: ${percent(r.coverage)} coverage — ${r.counts.present} of ${r.counts.needed} new LEGOs have a basket, ${r.counts.missing} missing.`)
  ui.out(`Canon: ${r.canon.baskets} baskets${r.canon.generation !== null ? `, generation ${r.canon.generation}` : ''}${r.canon.sha256 ? `, ${r.canon.sha256.slice(0, 12)}` : ' (no file yet)'}.`)
  const byClass = Object.entries(r.staging.byClass).filter(([, n]) => n > 0)
  ui.out(`Staging: ${r.staging.files} file(s) with ${r.staging.candidates} basket(s)${byClass.length ? ` — ${byClass.map(([k, n]) => `${n} ${k}`).join(', ')}` : ''}.`)
  if (r.merges.length > 0) {
    ui.out('Last transactions:')
    for (const m of r.merges) ui.out(`  ${m.at}  ${m.tx}  ${m.kind === 'restore' ? `restored before ${m.target}` : `+${m.added} added, ${m.updated} updated, ${m.adopted} adopted`}`)
  }
  if (r.lock?.problem && r.lock.pid < 0) ui.out(c.yellow(`Lock: ${r.lock.problem}.`))
  else if (r.lock) ui.out(c.yellow(`Lock held by ${r.lock.command} (pid ${r.lock.pid} on ${r.lock.host}, since ${r.lock.startedAt})${r.lock.problem ? ` — that process is gone, but ${r.lock.problem}` : r.lock.stale ? ' — that process is gone; the next writer clears it' : ''}. Lock id: ${r.lock.lockId}`))
  if (r.interrupted) ui.out(c.yellow(`Transaction ${r.interrupted} was interrupted; the next merge or restore finishes or rolls it back (or run \`wicker recover\`).`))
  if (r.abandoned.length > 0) ui.out(`Abandoned (wicker recover --abandon): ${r.abandoned.join(', ')}.`)
  for (const run of r.runs) ui.out(`Run ${run.run}: ${run.ok} of ${run.packets} packet(s) done, ${run.attempts} attempt(s)${run.active ? c.yellow(' — a launcher is running it now') : ''}.`)
}
