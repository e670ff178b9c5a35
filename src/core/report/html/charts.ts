import {escapeAttr, escapeText, isolated} from '../../text/html.js'

/**
 * Small charts as inline SVG, each with a text alternative: `<title>` and `aria-label` on the
 * drawing, and (bars, timeline) the same numbers in a table inside a `<details>`. Colours come from
 * the page's CSS variables or from a colour-blind-safe palette, and never carry a number alone.
 */

// made once: toLocaleString makes a formatter per call, thousands of times on a big course's page
const INTEGER = new Intl.NumberFormat('en')
const DECIMAL = new Intl.NumberFormat('en', {maximumFractionDigits: 6})

/** A number as short text: integers as they are (with thousands separators), others with up to 3 significant decimals. */
export const num = (n: number): string => (Number.isInteger(n) ? INTEGER.format(n) : DECIMAL.format(Number(n.toPrecision(3))))

export interface SparklineOptions {
  /** what the line is, for the text alternative ("GATE rate of S0042 per run") */
  label: string
  width?: number
  height?: number
  /** how a value reads (default num) */
  format?: (n: number) => string
}

/**
 * A small line of values in order (a seed's rate run after run), for a table cell. null is a gap.
 * Its text alternative lists every value, with the lowest, highest and last.
 */
export function sparkline(values: ReadonlyArray<number | null>, opts: SparklineOptions): string {
  const {width = 96, height = 20, format = num} = opts
  const known = values.flatMap((v) => (v === null ? [] : [v]))
  const alt = known.length === 0 ? `${opts.label}: no values` : `${opts.label}: ${values.map((v) => (v === null ? '–' : format(v))).join(', ')} (lowest ${format(Math.min(...known))}, highest ${format(Math.max(...known))}, last ${format(known.at(-1)!)})`
  const lo = Math.min(...known)
  const hi = Math.max(...known)
  const x = (i: number) => (values.length === 1 ? width / 2 : 2 + (i * (width - 4)) / (values.length - 1))
  const y = (v: number) => (hi === lo ? height / 2 : height - 2 - ((v - lo) * (height - 4)) / (hi - lo))
  // one polyline per run of known values, so a gap stays a gap
  const runs: string[][] = [[]]
  values.forEach((v, i) => (v === null ? runs.push([]) : runs.at(-1)!.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`)))
  const lines = runs.filter((r) => r.length > 1).map((r) => `<polyline points="${r.join(' ')}"></polyline>`)
  const last = values.length - 1 - [...values].reverse().findIndex((v) => v !== null)
  const dot = known.length === 0 ? '' : `<circle cx="${x(last).toFixed(1)}" cy="${y(values[last]!).toFixed(1)}" r="2"></circle>`
  return `<svg class="spark" role="img" aria-label="${escapeAttr(alt)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${escapeText(alt)}</title>${lines.join('')}${dot}</svg>`
}

export interface Bar {
  label: string
  value: number
}

export interface BarsOptions {
  caption: string
  /** the value column's heading in the table (default "value") */
  unit?: string
  format?: (n: number) => string
}

/** Horizontal bars with their labels and values written beside them, and a table of the same numbers. */
export function bars(items: ReadonlyArray<Bar>, opts: BarsOptions): string {
  const format = opts.format ?? num
  for (const b of items) if (!(Number.isFinite(b.value) && b.value >= 0)) throw new RangeError(`bars: "${b.label}" has value ${b.value}; bars draw finite values ≥ 0`)
  const max = Math.max(0, ...items.map((b) => b.value))
  const [labelW, barW, row] = [170, 300, 20]
  const width = labelW + barW + 80
  const height = Math.max(items.length, 1) * row
  const drawn = items.map((b, i) => {
    const w = max === 0 ? 0 : (b.value / max) * barW
    const y = i * row
    const short = b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label
    return `<g><title>${escapeText(`${b.label}: ${format(b.value)}`)}</title><text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${escapeText(short)}</text><rect class="bar" x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 6}"></rect><text class="val" x="${(labelW + w + 4).toFixed(1)}" y="${y + 14}">${escapeText(format(b.value))}</text></g>`
  })
  const alt = `${opts.caption}: ${items.map((b) => `${b.label} ${format(b.value)}`).join(', ') || 'nothing to show'}`
  const svg = `<svg class="bars" role="img" aria-label="${escapeAttr(alt)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${drawn.join('')}</svg>`
  const table = numbersTable(opts.caption, ['', opts.unit ?? 'value'], items.map((b) => [isolated(b.label), escapeText(format(b.value))]))
  return `<figure class="chart"><figcaption>${escapeText(opts.caption)}</figcaption>${svg}${table}</figure>`
}

export interface Span {
  /** ms since the epoch, or an ISO time */
  start: number | string
  end: number | string
  /** the attempt's class (ok, timeout, crash…): its colour and legend entry */
  class: string
}

export interface TimelineInput {
  rows: ReadonlyArray<{label: string; spans: ReadonlyArray<Span>}>
  caption: string
  /** rows drawn at most (the table has them all); default 400 */
  maxRows?: number
}

/** Okabe–Ito without black: distinct for the common colour-blindnesses, visible on light and dark. */
export const CLASS_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#f0e442'] as const

const ms = (t: number | string): number => {
  const v = typeof t === 'number' ? t : Date.parse(t)
  if (!Number.isFinite(v)) throw new RangeError(`timeline: "${t}" is not a time`)
  return v
}

/** A duration as text: "850 ms", "12.5 s", "3 min 20 s", "2 h 5 min". */
export function duration(msTotal: number): string {
  if (msTotal < 1000) return `${Math.round(msTotal)} ms`
  if (msTotal < 60_000) return `${Number((msTotal / 1000).toFixed(1))} s`
  const s = Math.round(msTotal / 1000)
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`
}

/**
 * Spans on a shared time axis, one row per label (attempts per packet): colour by class with a
 * legend, each span's class and times in its `<title>`, every span in the table.
 */
export function timeline(input: TimelineInput): string {
  const maxRows = input.maxRows ?? 400
  const spans = input.rows.flatMap((r) => r.spans.map((s) => ({row: r.label, cls: s.class, start: ms(s.start), end: ms(s.end)})))
  const t0 = spans.reduce((m, s) => Math.min(m, s.start), Infinity)
  const t1 = spans.reduce((m, s) => Math.max(m, s.end), -Infinity)
  const span = Math.max(t1 - t0, 1)
  const classes = [...new Set(spans.map((s) => s.cls))].sort()
  const colour = (c: string) => CLASS_COLOURS[classes.indexOf(c) % CLASS_COLOURS.length]!
  const [labelW, plotW, row, axis] = [170, 620, 16, 22]
  const shown = input.rows.slice(0, maxRows)
  const width = labelW + plotW + 10
  const height = shown.length * row + axis
  const x = (t: number) => labelW + ((t - t0) / span) * plotW
  const at = (t: number) => `+${duration(t - t0)}`
  const body = shown.map((r, i) => {
    const y = i * row
    const short = r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label
    const rects = r.spans.map((s) => {
      const [a, b] = [ms(s.start), ms(s.end)]
      return `<rect x="${x(a).toFixed(1)}" y="${y + 2}" width="${Math.max(x(b) - x(a), 1.5).toFixed(1)}" height="${row - 4}" fill="${colour(s.class)}"><title>${escapeText(`${r.label}: ${s.class}, ${at(a)} to ${at(b)} (${duration(b - a)})`)}</title></rect>`
    })
    return `<g><text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${escapeText(short)}</text>${rects.join('')}</g>`
  })
  const ticks = spans.length === 0 ? [] : [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const tx = labelW + f * plotW
    return `<line x1="${tx}" x2="${tx}" y1="0" y2="${shown.length * row + 4}"></line><text x="${tx}" y="${shown.length * row + 17}" text-anchor="${f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}">${escapeText(at(t0 + f * span))}</text>`
  })
  const counts = classes.map((c) => `${c} ${spans.filter((s) => s.cls === c).length}`)
  const alt = spans.length === 0 ? `${input.caption}: nothing to show` : `${input.caption}: ${input.rows.length} rows, ${spans.length} spans over ${duration(t1 - t0)} (${counts.join(', ')})`
  const svg = `<svg class="timeline" role="img" aria-label="${escapeAttr(alt)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${escapeText(alt)}</title><g class="axis">${ticks.join('')}</g>${body.join('')}</svg>`
  const legendHtml = `<p class="tl-legend">${classes.map((c) => `<span><svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><rect width="12" height="12" fill="${colour(c)}"></rect></svg> ${isolated(c)}</span>`).join(' ')}</p>`
  const note = shown.length < input.rows.length ? `<p class="hm-note">The drawing shows the first ${shown.length.toLocaleString('en')} of ${input.rows.length.toLocaleString('en')} rows; the table has them all.</p>` : ''
  const table = numbersTable(input.caption, ['', 'class', 'start', 'end', 'duration'], spans.map((s) => [isolated(s.row), isolated(s.cls), escapeText(at(s.start)), escapeText(at(s.end)), escapeText(duration(s.end - s.start))]))
  return `<figure class="chart"><figcaption>${escapeText(input.caption)}</figcaption>${note}${svg}${legendHtml}${table}</figure>`
}

/** cells are HTML already escaped by the caller */
function numbersTable(caption: string, head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th scope="col">${escapeText(h)}</th>`).join('')
  const tr = rows.map(([first, ...rest]) => `<tr><th scope="row">${first}</th>${rest.map((d) => `<td class="num">${d}</td>`).join('')}</tr>`).join('')
  return `<details class="numbers"><summary>The numbers (${rows.length.toLocaleString('en')} rows)</summary><table><caption>${escapeText(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table></details>`
}

export const CHARTS_STYLE = `.spark{vertical-align:middle}.spark polyline{fill:none;stroke:var(--accent);stroke-width:1.5}.spark circle{fill:var(--accent)}
svg.bars,svg.timeline{display:block;max-width:100%;height:auto}
.bars text,.timeline text{fill:var(--fg);font:12px system-ui,sans-serif}.bars rect.bar{fill:var(--accent)}
.timeline .axis line{stroke:var(--line)}.tl-legend{display:flex;flex-wrap:wrap;gap:1em}.tl-legend svg rect{stroke:var(--cell-line)}`
