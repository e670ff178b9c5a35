import type {RunDetectResult} from '../../core/detect/run.js'
import type {Ui} from '../ui.js'
import {percent} from './table.js'

const MAX_SEEDS_SHOWN = 30

/** How lego_pairs.json was read: the orientation's evidence, broken and empty seeds. */
export function renderLegoPairs(ui: Ui, r: RunDetectResult['legoPairs']): void {
  const c = ui.chalk
  const lines: string[] = []
  if (r.orientation.arrays) lines.push(`Array pairs (${r.shape}) read as ${r.orientation.order === 'target-known' ? '[target, known]' : '[known, target]'}: ${r.orientation.evidence}.`)
  if (r.brokenSeeds.length > 0) {
    const shown = r.brokenSeeds.slice(0, 20).map((b) => `${b.seed} (${b.items} item${b.items === 1 ? '' : 's'})`)
    lines.push(c.yellow(`Broken seeds (basket payloads, not LEGOs; left out): ${shown.join(', ')}${r.brokenSeeds.length > 20 ? `, … (${r.brokenSeeds.length})` : ''}`))
    if (r.basketPayloads > 0) lines.push(c.dim(`  ${r.basketPayloads} basket payload(s) there: \`wicker extract --from-lego-pairs\` reads their phrases.`))
  }
  if (r.emptySeeds.length > 0) lines.push(c.yellow(`Empty seeds (legos: []): ${r.emptySeeds.slice(0, 20).join(', ')}${r.emptySeeds.length > 20 ? `, … (${r.emptySeeds.length})` : ''}`))
  if (lines.length === 0) return
  ui.out()
  for (const line of lines) ui.out(line)
}

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
  renderLegoPairs(ui, r.legoPairs)
  if (r.manifest) ui.info(`Missing manifest written to ${r.manifest}`)
}
