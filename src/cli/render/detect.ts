import type {RunDetectResult} from '../../core/detect/run.js'
import type {Ui} from '../ui.js'
import {percent} from './table.js'

const MAX_SEEDS_SHOWN = 30

export function renderDetect(ui: Ui, r: RunDetectResult): void {
  const c = ui.chalk
  const {counts} = r
  ui.out(`${c.bold(r.course)}: ${counts.present} of ${counts.needed} new LEGOs have a basket (${percent(r.coverage)} coverage), ${counts.legos} LEGOs in all.`)
  const extras = [
    [counts.missing, 'missing', c.red],
    [counts.empty, 'empty', c.yellow],
    [counts.overage, 'overage', c.yellow],
    [counts.orphans, 'orphans', c.yellow],
    [counts.strays, 'strays', c.yellow],
  ] as const
  ui.out(extras.map(([n, label, paint]) => (n > 0 ? paint(`${n} ${label}`) : `${n} ${label}`)).join(' · '))
  if (r.missing.length > 0) {
    ui.out()
    ui.out(c.bold('Missing, by seed:'))
    const bySeed = new Map<string, typeof r.missing>()
    for (const m of r.missing) bySeed.set(m.seed, [...(bySeed.get(m.seed) ?? []), m])
    let shown = 0
    for (const [seed, legos] of bySeed) {
      if (shown++ >= MAX_SEEDS_SHOWN) {
        ui.out(c.dim(`  … and ${bySeed.size - MAX_SEEDS_SHOWN} more seed(s); --json lists them all.`))
        break
      }
      ui.out(`  ${c.bold(seed)}`)
      for (const m of legos) ui.out(`    ${m.id}  ${m.type.padEnd(2)} ${m.target}  ${c.dim(`(${m.known})`)}`)
    }
  }
  for (const [label, ids] of [
    ['Empty baskets', r.empty],
    ['Overage (new: false)', r.overage],
    ['Orphans (not in lego_pairs)', r.orphans],
    ['Strays (at the top level)', r.strays],
  ] as const) {
    if (ids.length > 0) ui.out(`${label}: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? `, … (${ids.length})` : ''}`)
  }
  if (r.manifest) ui.info(`Missing manifest written to ${r.manifest}`)
}
