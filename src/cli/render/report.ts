import type {ReportResult} from '../../core/report/run.js'
import {shownPath} from '../../core/report/run.js'
import type {Ui} from '../ui.js'
import {percent} from './table.js'

/** Where the page is, what it shows in one line, and how to open it. */
export function renderReport(ui: Ui, r: ReportResult): void {
  const c = ui.chalk
  const where = shownPath(process.cwd(), r.file)
  ui.out(`${c.bold(r.course)}: report written to ${c.cyan(where)} (${(r.bytes / 1024).toFixed(0)} KiB).`)
  ui.out(`${r.seeds} seeds, ${r.legos} LEGOs · coverage ${percent(r.coverage)} · ${r.verdict} · GATE ${r.gateViolationRate.toFixed(1)}% · ${r.runs} run${r.runs === 1 ? '' : 's'} · ${r.history} transaction${r.history === 1 ? '' : 's'}${r.grouped ? ' · heatmaps drawn in groups of seeds' : ''}`)
  ui.out(c.dim(`Open it in a browser (it loads nothing from anywhere): file://${encodeURI(r.file)}`))
}
