import {bars, sparkline, timeline} from '../../src/core/report/html/charts.js'
import {isolated} from '../../src/core/text/html.js'
import {heatmap, type HeatCell} from '../../src/core/report/html/heatmap.js'
import {HEATMAP_SCRIPT} from '../../src/core/report/html/heatmap.js'
import {reportPage} from '../../src/core/report/html/page.js'

/** A deterministic generator of invented numbers (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Hostile labels the demo page carries, so the browser sees them too. */
export const HOSTILE = ['</script><script>alert(1)</script>', '<!-- never closed', ']]><b>x</b>', 'abc\u202Edcba 12', 'lone \uD800 surrogate', '"quoted" & \'single\'']

/** n invented seeds: most well covered, some thin, a few without new LEGOs; the first ones carry the hostile labels. */
export function demoCells(n: number, seed = 7): HeatCell[] {
  const rnd = random(seed)
  return Array.from({length: n}, (_, i) => {
    const id = `S${String(i + 1).padStart(String(n).length < 4 ? 4 : String(n).length, '0')}`
    const needed = rnd() < 0.03 ? 0 : 1 + Math.floor(rnd() * 6)
    const present = needed === 0 ? 0 : rnd() < 0.7 ? needed : Math.floor(rnd() * (needed + 1))
    return {id, label: HOSTILE[i] ?? `seed ${i + 1}`, value: needed === 0 ? null : present / needed, detail: needed === 0 ? 'no new LEGOs' : `${present} of ${needed} new LEGOs have a basket`}
  })
}

export interface DemoPage {
  html: string
  /** the heatmaps' cell counts, in page order */
  cells: number[]
  data: unknown
}

/** The demo report: a heatmap of `sizes[i]` seeds per size, failures by class, cost per agent kind, sparklines, a timeline. */
export function demoPage(sizes: number[] = [668, 3000], opts: {script?: boolean; maxCells?: number} = {}): DemoPage {
  const grids = sizes.map((n, k) => ({n, cells: demoCells(n, 11 + k)}))
  const rnd = random(3)
  const failures = [{label: 'ok', value: 612}, {label: 'invalid output', value: 31}, {label: 'rate-limited', value: 12}, {label: 'timeout', value: 9}, {label: 'crash', value: 4}, {label: HOSTILE[0]!, value: 1}]
  const cost = [{label: 'builtin', value: 0}, {label: 'claude', value: 41.27}, {label: 'codex', value: 18.5}, {label: 'gemini', value: 9.03}]
  const t0 = Date.parse('2026-11-30T09:00:00Z')
  const rows = Array.from({length: 24}, (_, i) => {
    let at = t0 + Math.floor(rnd() * 600_000)
    const attempts = rnd() < 0.2 ? 2 : 1
    return {
      label: i === 0 ? HOSTILE[1]! : `run1__P${String(i + 1).padStart(3, '0')}`,
      spans: Array.from({length: attempts}, (_, a) => {
        const start = at
        at += 30_000 + Math.floor(rnd() * 400_000)
        return {start, end: at, class: a < attempts - 1 ? (rnd() < 0.5 ? 'timeout' : 'rate-limited') : 'ok'}
      }),
    }
  })
  const gate = Array.from({length: 8}, (_, i) => ({seed: `S${String(i + 1).padStart(4, '0')}`, rates: Array.from({length: 6}, () => Math.round((0.6 + rnd() * 0.4) * 1000) / 1000)}))
  const sparkRows = gate.map((g) => `<tr><th scope="row">${isolated(g.seed)}</th><td class="num">${g.rates.at(-1)}</td><td>${sparkline(g.rates, {label: `GATE rate of ${g.seed} over 6 runs`})}</td></tr>`).join('')
  const sections = [
    ...grids.map(({n, cells}, k) => ({
      id: `coverage-${k + 1}`,
      title: `Coverage of ${n.toLocaleString('en')} seeds`,
      body: heatmap({cells, caption: `Share of each seed's new LEGOs with a usable basket (${n.toLocaleString('en')} seeds)`, legend: {title: 'coverage', low: 'none', high: 'all', none: 'no new LEGOs'}, ...(opts.maxCells ? {maxCells: opts.maxCells} : {})}),
    })),
    {id: 'launch', title: 'Launch runs', body: `${bars(failures, {caption: 'Attempts by class', unit: 'attempts'})}${bars(cost, {caption: 'Cost per agent kind (USD)', unit: 'USD', format: (v) => v.toFixed(2)})}${timeline({rows, caption: 'Attempts per packet over time'})}`},
    {id: 'gate', title: 'GATE per seed', body: `<table><caption>GATE rate per seed, last run and the six runs</caption><thead><tr><th scope="col">seed</th><th scope="col">last</th><th scope="col">runs</th></tr></thead><tbody>${sparkRows}</tbody></table>`},
  ]
  const data = {hostile: HOSTILE, heatmaps: grids.map((g) => g.cells), failures, cost, rows, gate}
  const html = reportPage({title: 'wicker report: demo (invented data)', subtitle: 'Every number on this page is invented.', sections, data, ...(opts.script === false ? {} : {script: HEATMAP_SCRIPT})})
  return {html, cells: sizes, data}
}
