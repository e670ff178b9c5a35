import {countKey} from '../../core/preview/plan.js'
import {ITEM_CLASSES} from '../../core/schemas/plan.js'
import type {PreviewResult} from '../../core/preview/run.js'
import type {Ui} from '../ui.js'
import {percent, table} from './table.js'
import {shellArg} from '../../core/text/shell-arg.js'

const MAX_ITEMS = 30

export function renderPreview(ui: Ui, r: PreviewResult, course: string): void {
  const c = ui.chalk
  // by class name, as the items below give it (the JSON keys are camelCase: stagingConflict)
  for (const line of table(['class', 'baskets'], ITEM_CLASSES.map((k) => [k, r.counts[countKey(k)]]))) ui.out(line)
  ui.out()
  ui.out(`Coverage ${percent(r.coverage.before)} → ${c.bold(percent(r.coverage.after))}. A merge would write ${r.ops} basket(s).`)
  const notable = r.items.filter((i) => i.class !== 'identical')
  if (notable.length > 0) {
    ui.out()
    for (const i of notable.slice(0, MAX_ITEMS)) {
      const paint = i.action === 'blocked' ? c.red : i.action === 'apply' ? c.green : c.yellow
      ui.out(`  ${paint(i.action.padEnd(7))} ${i.id}  ${i.class}${i.note ? c.dim(` — ${i.note}`) : ''}`)
    }
    if (notable.length > MAX_ITEMS) ui.out(c.dim(`  … ${notable.length - MAX_ITEMS} more; --json lists them all.`))
  }
  for (const d of r.diffs) {
    ui.out()
    ui.out(c.bold(`${d.id}: canon (-) vs staging (+)`))
    for (const line of d.diff.split('\n')) ui.out(line.startsWith('-') ? c.red(line) : line.startsWith('+') ? c.green(line) : line)
  }
  ui.out()
  if (r.blocked > 0) ui.out(c.red(`${r.blocked} basket(s) block a merge`) + ': choose with --on-conflict or --resolutions.')
  else if (r.ops === 0) ui.out('Nothing to merge.')
  else ui.out(c.green(`Ready: ${r.ops} basket(s) to merge.`))
  if (r.plan) ui.info(`Plan ${r.planId.slice(0, 12)} written to ${r.plan}; apply it with: wicker merge ${shellArg(course)} --plan ${shellArg(r.plan)}`)
}
