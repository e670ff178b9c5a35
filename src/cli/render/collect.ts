import type {CollectResult} from '../../core/collect/run.js'
import type {Ui} from '../ui.js'
import {table} from './table.js'

const MAX_LINES = 25

export function renderCollect(ui: Ui, r: CollectResult): void {
  const c = ui.chalk
  const t = r.totals
  ui.out(`${c.bold(String(t.written))} file(s) written into ${r.staging}; ${t.skipped} already there (skipped), ${t.ignored} ignored, ${t.refused > 0 ? c.red(`${t.refused} refused`) : '0 refused'}.`)
  if (r.sources.length === 0) return
  ui.out()
  const rows = r.sources.map((s) => [s.kind, s.commit ? `${s.source} (${s.commit.slice(0, 12)})` : s.source, s.found, s.written, s.skipped, s.ignored, s.refused])
  for (const line of table(['kind', 'source', 'found', 'written', 'skipped', 'ignored', 'refused'], rows)) ui.out(line)
  const reported = r.sources.flatMap((s) => s.files.filter((f) => f.action === 'refused' || f.action === 'ignored').map((f) => ({...f, source: s.source})))
  if (reported.length > 0) ui.out()
  for (const f of reported.slice(0, MAX_LINES)) ui.out(`  ${f.action === 'refused' ? c.red(f.action) : c.yellow(f.action)} ${f.source}: ${f.path}: ${f.reason}`)
  if (reported.length > MAX_LINES) ui.out(c.dim(`  … ${reported.length - MAX_LINES} more; --json lists them all.`))
  if (t.written > 0) ui.info('Next: wicker preview (then wicker merge) to see what the collected files add.')
}
