import type {RunExtractResult} from '../../core/extract/run.js'
import type {Ui} from '../ui.js'
import {table} from './table.js'

const MAX_PROBLEMS = 25

export function renderExtract(ui: Ui, r: RunExtractResult): void {
  const c = ui.chalk
  ui.out(`${r.files.total} staging file(s): ${r.files.used} used, ${r.files.skipped} skipped, ${r.files.bad > 0 ? c.red(`${r.files.bad} bad`) : '0 bad'}.`)
  ui.out(`${c.bold(String(r.candidates))} candidate basket(s); ${r.duplicates} duplicate(s) collapsed, ${r.superseded} superseded, ${r.stagingConflicts > 0 ? c.red(`${r.stagingConflicts} staging conflict(s)`) : '0 staging conflicts'}, ${r.repaired} repaired, ${r.invalid} invalid.`)
  if (r.fromLegoPairs !== null) ui.out(`${r.fromLegoPairs} candidate basket(s) from basket payloads in lego_pairs.json (--from-lego-pairs).`)
  const formats = Object.entries(r.formats).sort(([a], [b]) => a.localeCompare(b, 'en', {numeric: true}))
  if (formats.length > 0) {
    ui.out()
    for (const line of table(['format', 'files'], formats.map(([f, n]) => [f, n ?? 0]))) ui.out(line)
  }
  const byKind = new Map<string, number>()
  for (const p of r.problems) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + 1)
  if (byKind.size > 0) {
    ui.out()
    for (const line of table(['problem', 'count'], [...byKind].sort((a, b) => b[1] - a[1]))) ui.out(line)
    ui.out()
    for (const p of r.problems.slice(0, MAX_PROBLEMS)) ui.out(`  ${c.yellow(p.kind)} ${p.file}: ${p.message}`)
    if (r.problems.length > MAX_PROBLEMS) ui.out(c.dim(`  … ${r.problems.length - MAX_PROBLEMS} more; --json lists them all.`))
  }
  ui.info(`Extraction written to ${r.output}${r.quarantined > 0 ? `; ${r.quarantined} unusable file(s) in .wicker/quarantine/ (${r.quarantinedNow} copied now)` : ''}`)
}
