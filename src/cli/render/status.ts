import type {StatusResult} from '../../core/status/status.js'
import type {Ui} from '../ui.js'
import {percent, table} from './table.js'

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
  if (r.run) renderRunProgress(ui, r.run)
}

/** `status --run R`: the run shard by shard, then what is missing or doubled. */
function renderRunProgress(ui: Ui, p: NonNullable<StatusResult['run']>): void {
  const c = ui.chalk
  ui.out()
  const rows = p.perShard.map((s) => [s.shard, s.packets, s.legos, s.done, s.missing > 0 ? c.red(String(s.missing)) : '0', s.attempts ?? '–', s.failed ?? '–', s.active ? c.yellow('running') : ''])
  for (const line of table(['shard', 'packets', 'LEGOs', 'done', 'missing', 'attempts', 'failed', ''], rows.slice(0, 100))) ui.out(line)
  if (rows.length > 100) ui.out(c.dim(`… ${rows.length - 100} more shards; --json lists them all.`))
  for (const s of p.perShard) {
    // a lock of another host (a CI runner, a pod) cannot be judged from here: say how to clear it
    if (!s.lock || s.lock.stale || s.lock.thisHost) continue
    ui.out(c.yellow(`  shard ${s.shard} is locked by ${s.lock.command} (pid ${s.lock.pid} on ${s.lock.host}); if that launch is gone, remove the lock with wicker unlock <course> --lock-id ${s.lock.lockId}`))
  }
  for (const m of p.missing.slice(0, 20)) ui.out(`  ${c.red('missing')} #${m.index} ${m.packet} (shard ${m.shard})`)
  if (p.missing.length > 20) ui.out(c.dim(`  … ${p.missing.length - 20} more missing; --json lists them all.`))
  for (const d of p.duplicates.slice(0, 20)) ui.out(`  ${c.yellow('done twice')} #${d.index} ${d.packet} (${d.shards.join(' and ')})`)
  if (p.complete) ui.out(c.green(`Run ${p.run}: all ${p.packets} packet(s) done, each by one shard${p.shards > 1 ? ` of ${p.shards}` : ''}.`))
  else ui.out(`Run ${p.run}: ${p.done} of ${p.packets} packet(s) done${p.missing.length > 0 ? `, ${p.missing.length} missing (run the shards named again: they resume)` : ''}${p.duplicates.length > 0 ? `, ${p.duplicates.length} done by two shards` : ''}.`)
}
