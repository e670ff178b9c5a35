import type {ReportData, ReportRun, ReportSeed, ReportWorst} from '../schemas/report.js'
import {bars, duration, num, sparkline, timeline} from './html/charts.js'
import {escapeAttr, escapeText, isolated} from '../text/html.js'
import {groupSize, HEATMAP_SCRIPT, heatmap, percent, type HeatCell} from './html/heatmap.js'
import {markWords} from './html/marks.js'
import {reportPage, type ReportSection} from './html/page.js'

/**
 * The report's HTML from its data (data.ts): a summary whose numbers carry `data-k` (the key of the
 * same number in the embedded data, which the browser test compares), the two heatmaps, the checks
 * and worst baskets, GATE under every definition, the launch runs and the history. Pure.
 */

/** LEGOs named at most in a heatmap cell's detail (the rest are counted) */
export const DETAIL_LEGOS = 6
/** points at most in a per-seed sparkline (seeds are averaged in order beyond that) */
export const SPARK_POINTS = 160
/** seeds listed at most in the per-seed GATE table */
export const GATE_TABLE_SEEDS = 50
/** attempts drawn at most on a run's timeline */
export const TIMELINE_ROWS = 400

export function reportHtml(data: ReportData): string {
  const sections: ReportSection[] = [
    {id: 'summary', title: 'Summary', body: summary(data)},
    {id: 'coverage', title: 'Coverage by seed', body: coverage(data)},
    {id: 'checks', title: 'Checks and the worst baskets', body: checks(data)},
    {id: 'gate', title: 'GATE under every definition', body: gate(data)},
    {id: 'runs', title: 'Launch runs', body: runs(data)},
    {id: 'history', title: 'History', body: history(data)},
  ]
  return reportPage({
    title: `wicker report: ${data.course}`,
    subtitle: `Made ${data.generatedAt} by wicker ${data.wicker}; ${num(data.seeds.length)} seeds, ${num(data.detect.counts.legos)} LEGOs.`,
    sections,
    data,
    script: HEATMAP_SCRIPT,
  })
}

/** A number with its key in the data: `<span data-k="detect.counts.missing">12</span>`. */
const figure = (key: string, text: string) => `<span data-k="${escapeAttr(key)}">${escapeText(text)}</span>`

function summary(d: ReportData): string {
  const c = d.detect.counts
  const v = d.validate
  const rows: Array<[string, string]> = [
    ['Coverage', `${figure('detect.coverage', percent(d.detect.coverage))} (${figure('detect.counts.present', num(c.present))} of ${figure('detect.counts.needed', num(c.needed))} new LEGOs have a usable basket)`],
    ['Missing', `${figure('detect.counts.missing', num(c.missing))} new LEGOs without a usable basket, of them ${figure('detect.counts.empty', num(c.empty))} empty`],
    ['Canon holds that it should not', `${figure('detect.counts.overage', num(c.overage))} overage, ${figure('detect.counts.orphans', num(c.orphans))} orphans, ${figure('detect.counts.strays', num(c.strays))} strays`],
    ['Verdict', `${figure('validate.verdict', v.verdict)}${v.verdictReasons.length ? `: ${v.verdictReasons.map(isolated).join('; ')}` : ''}`],
    ['Findings', `${figure('validate.counts.errors', num(v.counts.errors))} errors, ${figure('validate.counts.warnings', num(v.counts.warnings))} warnings in ${figure('validate.counts.baskets', num(v.counts.baskets))} baskets (${figure('validate.counts.phrases', num(v.counts.phrases))} phrases)`],
    ['GATE', `${figure('validate.counts.gateViolations', num(v.counts.gateViolations))} phrases break it (${figure('validate.counts.gateViolationRate', `${num(v.counts.gateViolationRate)}%`)}) under the ${figure('validate.gate', v.gate)} definition`],
  ]
  return `<dl class="summary">${rows.map(([k, val]) => `<dt>${escapeText(k)}</dt><dd>${val}</dd>`).join('')}</dl>`
}

const STATE_WORDS: Record<string, string> = {missing: 'missing', empty: 'empty', stray: 'stray', overage: 'overage'}

/** What hover or focus shows of a seed: its counts, then the LEGOs that need attention with their state and findings. */
function seedDetail(seed: ReportSeed): string {
  const parts: string[] = [seed.needed === 0 ? 'no new LEGO' : `${seed.present} of ${seed.needed} new LEGOs with a basket`]
  if (seed.findings > 0) parts.push(`${seed.findings} findings (${seed.errors} errors)`)
  const flagged = seed.legos.filter((l) => l[1] !== 'ok' || l[3] !== undefined)
  const named = flagged.slice(0, DETAIL_LEGOS).map((l) => {
    const what = [STATE_WORDS[l[1]], l[3] ? Object.entries(l[3]).map(([check, n]) => `${check} ${n}`).join(', ') : undefined].filter(Boolean).join('; ')
    return `${l[0]} “${l[2] ?? ''}”: ${what}`
  })
  if (flagged.length > DETAIL_LEGOS) named.push(`${flagged.length - DETAIL_LEGOS} more`)
  return [...parts, ...named].join('; ')
}

/** A seed's share of its baskets that have no finding; null when it has no basket. */
export function cleanShare(seed: ReportSeed): number | null {
  let baskets = 0
  let flagged = 0
  for (const l of seed.legos) {
    if (l[1] === 'ok' || l[1] === 'empty' || l[1] === 'overage' || l[3] !== undefined) baskets++
    if (l[3] !== undefined) flagged++
  }
  return baskets === 0 ? null : 1 - flagged / baskets
}

function coverage(d: ReportData): string {
  // a seed's detail is made once for both grids, and not at all when they draw groups (a group's detail is its range)
  const details = groupSize(d.seeds.length) === 1 ? d.seeds.map(seedDetail) : null
  const cells = (value: (s: ReportSeed) => number | null): HeatCell[] => d.seeds.map((s, i) => ({id: s.id, label: s.target, value: value(s), detail: details?.[i] ?? ''}))
  const thin = d.seeds.filter((s) => s.share !== null && s.share < 1).length
  return [
    `<p>One cell per seed, in course order (rows left to right). ${num(thin)} of ${num(d.seeds.length)} seeds have a new LEGO without a usable basket. Hover a cell, or Tab into the grid and move with the arrow keys, to see the seed's LEGOs.</p>`,
    heatmap({cells: cells((s) => s.share), caption: 'Coverage: the share of each seed’s new LEGOs with a usable basket', legend: {title: 'coverage', low: 'none', high: 'all', none: 'no new LEGO'}}),
    heatmap({cells: cells(cleanShare), caption: 'Findings: the share of each seed’s baskets with no validate finding', legend: {title: 'baskets without findings', low: 'none', high: 'all', none: 'no basket'}}),
  ].join('\n')
}

function checks(d: ReportData): string {
  const rows = d.checks.map((c) => `<tr><th scope="row"><code>${escapeText(c.id)}</code></th><td>${escapeText(c.severity)}${c.critical ? ', critical' : ''}</td><td class="num" data-k="checks.${escapeAttr(c.id)}.count">${num(c.count)}</td><td>${c.blocks ? '<strong>blocks</strong>' : ''}</td><td>${escapeText(c.description)}</td></tr>`)
  const table = `<table><caption>Every validate check (${escapeText(d.validate.gate)} GATE)</caption><thead><tr><th scope="col">check</th><th scope="col">severity</th><th scope="col">findings</th><th scope="col">verdict</th><th scope="col">what it checks</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  const worst = d.worst.length === 0 ? '<p>No basket has a finding.</p>' : `<h3>The ${num(d.worst.length)} worst baskets</h3><p>Ranked by errors (each counts as five warnings), then warnings. Marked: the words GATE found unavailable; shown beside: the LEGO text a phrase lacks, the side in the wrong language.</p>${d.worst.map(worstBasket).join('')}`
  return table + worst
}

function worstBasket(w: ReportWorst): string {
  const whole = w.findings.length === 0 ? '' : `<ul>${w.findings.map((f) => `<li>${escapeText(f.severity)} <code>${escapeText(f.check)}</code>: ${isolated(f.message)}</li>`).join('')}</ul>`
  const phrases = w.phrases.map((p) => {
    const words = p.findings.flatMap((f) => f.words ?? [])
    const sides = new Set(p.findings.flatMap((f) => (f.side === 'both' ? ['known', 'target'] : f.side ? [f.side] : [])))
    const side = (which: 'known' | 'target', html: string) => (sides.has(which) ? `<span class="wrong-side" title="in the wrong language">${html}</span>` : html)
    const notes = p.findings.map((f) => `<li>${escapeText(f.severity)} <code>${escapeText(f.check)}</code>${f.missing ? `: lacks “<bdi>${escapeText(f.missing)}</bdi>”` : ''}${f.side ? `; side: ${escapeText(f.side)}` : ''}. ${isolated(f.message)}</li>`)
    return `<tr${p.findings.length ? ' class="flagged"' : ''}><td class="num">${p.index}</td><td><bdi>${side('known', escapeText(p.known))}</bdi></td><td><bdi>${side('target', markWords(p.target, words))}</bdi></td><td>${notes.length ? `<ul>${notes.join('')}</ul>` : ''}</td></tr>`
  })
  return `<details class="worst"><summary><code>${escapeText(w.basket)}</code> “<bdi>${escapeText(w.lego.target)}</bdi>” (${isolated(w.lego.known)}), seed ${escapeText(w.seed)}: ${num(w.errors)} errors, ${num(w.warnings)} warnings</summary>${whole}<table><thead><tr><th scope="col">#</th><th scope="col">known</th><th scope="col">target</th><th scope="col">findings</th></tr></thead><tbody>${phrases.join('')}</tbody></table></details>`
}

/** Values in order averaged into at most `points` buckets (null values left out of a bucket's mean). */
export function buckets(values: ReadonlyArray<number | null>, points: number): Array<number | null> {
  if (values.length <= points) return [...values]
  const out: Array<number | null> = []
  for (let b = 0; b < points; b++) {
    let sum = 0
    let known = 0
    for (let i = Math.floor((b * values.length) / points), end = Math.floor(((b + 1) * values.length) / points); i < end; i++) {
      const v = values[i]
      if (v === null || v === undefined) continue
      sum += v
      known++
    }
    out.push(known === 0 ? null : sum / known)
  }
  return out
}

function gate(d: ReportData): string {
  const g = d.gate
  const pct = (n: number) => `${num(n)}%`
  const perSeed = (i: number) => d.seeds.map((s) => (s.phrases === 0 ? null : (s.gateViolations[i]! / s.phrases) * 100))
  const rows = g.rates.map((r, i) => {
    const mine = r.definition === g.definition
    const line = sparkline(buckets(perSeed(i), SPARK_POINTS), {label: `GATE violation rate per seed under ${r.definition}${d.seeds.length > SPARK_POINTS ? ` (seeds averaged into ${SPARK_POINTS} points)` : ''}`, format: pct, width: 160})
    return `<tr${mine ? ' class="mine"' : ''}><th scope="row">${escapeText(r.definition)}${mine ? ' (validate’s)' : ''}</th><td class="num" data-k="gate.${escapeAttr(r.definition)}.violations">${num(r.violations)}</td><td class="num">${num(r.phrases)}</td><td class="num" data-k="gate.${escapeAttr(r.definition)}.rate">${pct(r.rate)}</td><td>${line}</td></tr>`
  })
  const s = g.settings
  const table = `<table><caption>Phrases breaking GATE by definition (window: ${s.windowSeeds} seeds and ${s.recentNewLegos} recent new LEGOs; components ${s.components ? 'on' : 'off'})</caption><thead><tr><th scope="col">definition</th><th scope="col">violations</th><th scope="col">phrases</th><th scope="col">rate</th><th scope="col">per seed, in course order</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  const chart = bars(g.rates.map((r) => ({label: r.definition, value: r.rate})), {caption: 'GATE violation rate by definition', unit: 'rate', format: pct})
  const mine = Math.max(0, g.definitions.indexOf(g.definition))
  const top = d.seeds.filter((x) => x.gateViolations[mine]! > 0).sort((a, b) => b.gateViolations[mine]! - a.gateViolations[mine]!).slice(0, GATE_TABLE_SEEDS)
  const seedRows = top.map((x) => `<tr><th scope="row">${escapeText(x.id)}</th><td><bdi>${escapeText(x.target)}</bdi></td><td class="num">${num(x.phrases)}</td>${x.gateViolations.map((n) => `<td class="num">${num(n)}</td>`).join('')}</tr>`)
  const seedTable = top.length === 0 ? '' : `<details class="numbers"><summary>The ${num(top.length)} seeds with the most violations under ${escapeText(g.definition)}</summary><table><thead><tr><th scope="col">seed</th><th scope="col">sentence</th><th scope="col">phrases</th>${g.definitions.map((x) => `<th scope="col">${escapeText(x)}</th>`).join('')}</tr></thead><tbody>${seedRows.join('')}</tbody></table></details>`
  return table + chart + seedTable
}

const tokensText = (t: ReportRun['tokens']) => (t ? `${num(t.input)} in, ${num(t.output)} out` : '–')
const costText = (c: number | null) => (c === null ? '–' : `$${c.toFixed(c < 1 ? 4 : 2)}`)

function runs(d: ReportData): string {
  if (d.runs.length === 0) return '<p>No launch runs: <code>.wicker/runs/</code> has none with a ledger.</p>'
  const rows = d.runs.map((r) => `<tr><th scope="row"><code>${escapeText(r.run)}</code></th><td class="num">${r.packets === null ? '–' : num(r.packets)}</td><td class="num">${num(r.ok)}</td><td class="num">${num(r.attempts.length)}</td><td class="num">${num(Object.values(r.failures).reduce((s, n) => s + n, 0))}</td><td class="num">${num(r.interrupted)}</td><td class="num">${tokensText(r.tokens)}</td><td class="num">${costText(r.costUsd)}</td><td>${r.shards.length ? escapeText(r.shards.join(', ')) : '–'}</td></tr>`)
  const table = `<table><caption>Runs and what they spent</caption><thead><tr><th scope="col">run</th><th scope="col">packets</th><th scope="col">done</th><th scope="col">attempts</th><th scope="col">failed</th><th scope="col">interrupted</th><th scope="col">tokens</th><th scope="col">cost</th><th scope="col">shards</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  return table + d.runs.map(run).join('')
}

function run(r: ReportRun): string {
  const agents = `<table><caption>By agent kind</caption><thead><tr><th scope="col">agent</th><th scope="col">attempts</th><th scope="col">tokens</th><th scope="col">cost</th></tr></thead><tbody>${r.byAgent.map((a) => `<tr><th scope="row">${escapeText(a.agent ?? 'not recorded')}</th><td class="num">${num(a.attempts)}</td><td class="num">${tokensText(a.tokens)}</td><td class="num">${costText(a.costUsd)}</td></tr>`).join('')}</tbody></table>`
  const failed = Object.entries(r.failures)
  const failures = failed.length === 0 ? '<p>No attempt failed.</p>' : bars(failed.map(([label, value]) => ({label, value: value!})), {caption: `Failed attempts of ${r.run} by class`, unit: 'attempts'})
  const timed = r.attempts.filter((a) => a.start !== null && a.durationMs !== null && Number.isFinite(Date.parse(a.start)))
  const rows = timed.slice(0, TIMELINE_ROWS).map((a) => {
    const start = Date.parse(a.start!)
    return {label: `${a.packet} #${a.attempt}`, spans: [{start, end: start + a.durationMs!, class: a.event === 'interrupted' ? 'interrupted' : (a.class ?? 'unknown')}]}
  })
  const open = r.attempts.filter((a) => a.event === 'start').length
  const drawn = rows.length === 0 ? '<p>The ledger has no timed attempt.</p>' : timeline({rows, caption: `Attempts of ${r.run} per packet (start, duration, class)${timed.length > rows.length ? `: the first ${num(rows.length)} of ${num(timed.length)}` : ''}`})
  const note = open ? `<p>${num(open)} attempts started and never ended: a launch was killed while they ran.</p>` : ''
  const longest = timed.reduce((m, a) => Math.max(m, a.durationMs!), 0)
  return `<section class="run" aria-label="Run ${escapeAttr(r.run)}"><h3>Run <code>${escapeText(r.run)}</code></h3><p>${num(r.ok)} of ${r.packets === null ? 'an unknown number of' : num(r.packets)} packets done${timed.length ? `; the longest attempt took ${duration(longest)}` : ''}.</p>${note}${drawn}${failures}${agents}</section>`
}

function history(d: ReportData): string {
  if (d.history.length === 0) return '<p>No merge or restore yet: the journal is empty.</p>'
  const rows = d.history.map((h) => `<tr><th scope="row"><code>${escapeText(h.tx)}</code></th><td>${escapeText(h.kind)}${h.target ? ` of <code>${escapeText(h.target)}</code>` : ''}</td><td>${escapeText(h.status)}</td><td>${escapeText(h.committedAt ?? h.at)}</td><td class="num">${num(h.added)}</td><td class="num">${num(h.updated)}</td><td class="num">${num(h.adopted)}</td><td>${h.backup ? `<code>${escapeText(h.backup)}</code>` : '–'}</td><td class="num">${h.coverage ? percent(h.coverage.coverage) : '–'}</td></tr>`)
  const points = d.history.filter((h) => h.status === 'committed').map((h) => h.coverage?.coverage ?? null)
  const line = points.length < 2 ? '' : `<p>Coverage after each committed transaction: ${sparkline(points.map((p) => (p === null ? null : p * 100)), {label: 'coverage after each committed merge or restore', format: (n) => `${num(n)}%`, width: 240, height: 32})}</p>`
  return `${line}<table><caption>Merges and restores, in journal order</caption><thead><tr><th scope="col">transaction</th><th scope="col">kind</th><th scope="col">status</th><th scope="col">when</th><th scope="col">added</th><th scope="col">updated</th><th scope="col">adopted</th><th scope="col">backup of canon before it</th><th scope="col">coverage after</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}
