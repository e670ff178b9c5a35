import {percentText} from '../../text/percent.js'
import {escapeAttr, escapeText, isolated, isolatedAttr} from '../../text/html.js'

/**
 * A grid of cells coloured by a value in 0..1 (a seed's coverage, its share of baskets without
 * findings), as inline SVG: every cell a focusable `<rect>` with its id, value and detail in
 * `aria-label` and in a `<title>` (the hover tooltip), a legend, and the same numbers in a `<table>`
 * inside a `<details>` for screen readers and for reading without colour.
 */

export interface HeatCell {
  id: string
  label: string
  /** 0..1, or null when there is nothing to measure (a seed without new LEGOs) */
  value: number | null
  detail: string
}

export interface HeatmapInput {
  cells: HeatCell[]
  /** cells per row; by default about twice as wide as high */
  columns?: number
  legend: {title: string; low: string; high: string; none?: string}
  caption: string
  /**
   * Above this many cells the grid draws groups of consecutive cells (each coloured by its mean and
   * labelled with its range) and says so; default MAX_DRAWN_CELLS.
   */
  maxCells?: number
}

/**
 * What one page can draw as separate focusable cells and still open without freezing: 5,000 rects
 * with their titles lay out in well under a second in Chromium, 100,000 take several (see the report).
 */
export const MAX_DRAWN_CELLS = 5000

/**
 * viridis at 0, 0.1, … 1: perceptually ordered, readable by the common colour-blindnesses and in
 * greyscale, and each end distinct from both page backgrounds (cells also get an outline).
 */
export const VIRIDIS = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'] as const
/** the fill of a cell without a value (a CSS rule draws it per theme; this is the attribute's fallback) */
export const NO_VALUE_FILL = '#9a9a9a'

const hex = (c: string) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16))
const STOPS = VIRIDIS.map(hex)

/** The colour of a value in 0..1, interpolated between the viridis stops. */
export function scaleColour(value: number): string {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`heatmap: value ${value} is not in 0..1`)
  const at = value * (VIRIDIS.length - 1)
  const i = Math.min(Math.floor(at), VIRIDIS.length - 2)
  const t = at - i
  const [a, b] = [STOPS[i]!, STOPS[i + 1]!]
  let colour = '#'
  for (let k = 0; k < 3; k++) colour += Math.round(a[k]! + (b[k]! - a[k]!) * t).toString(16).padStart(2, '0')
  return colour
}

/** A share as the commands show it (99.96% is not shown as 100%). */
export const percent = percentText

const valueText = (value: number | null, none: string) => (value === null ? none : percent(value))

export const cellLabel = (cell: HeatCell, none = 'no value'): string =>
  `${cell.id}${cell.label && cell.label !== cell.id ? ` (${cell.label})` : ''}: ${valueText(cell.value, none)}${cell.detail ? `; ${cell.detail}` : ''}`

/** How many consecutive cells each drawn cell stands for: 1 up to `max` cells, else enough to draw at most `max`. */
export const groupSize = (cells: number, max = MAX_DRAWN_CELLS): number => (cells > max ? Math.ceil(cells / max) : 1)

/** Consecutive cells in groups of `size`: each a cell whose value is the mean of the group's values. */
export function groupCells(cells: HeatCell[], size: number): HeatCell[] {
  const groups: HeatCell[] = []
  for (let start = 0; start < cells.length; start += size) {
    const end = Math.min(start + size, cells.length)
    const n = end - start
    let values = 0
    let sum = 0
    let min = 1
    let max = 0
    for (let i = start; i < end; i++) {
      const v = cells[i]!.value
      if (v === null) continue
      values++
      sum += v
      if (v < min) min = v
      if (v > max) max = v
    }
    groups.push({
      id: `${cells[start]!.id}–${cells[end - 1]!.id}`,
      label: `${n} cells`,
      value: values === 0 ? null : sum / values,
      detail: values === 0 ? `none of ${n} has a value` : `mean of ${values}; lowest ${percent(min)}, highest ${percent(max)}${values < n ? `; ${n - values} without a value` : ''}`,
    })
  }
  return groups
}

const CELL = 14
const PITCH = 16

export const defaultColumns = (n: number): number => (n <= 40 ? Math.max(n, 1) : Math.min(160, Math.ceil(Math.sqrt(n * 2.2))))

/** The heatmap as a `<figure>`: caption, an optional note on grouping, the grid, the legend, the table. */
export function heatmap(input: HeatmapInput): string {
  const none = input.legend.none ?? 'no value'
  const max = input.maxCells ?? MAX_DRAWN_CELLS
  const size = groupSize(input.cells.length, max)
  const drawn = size === 1 ? input.cells : groupCells(input.cells, size)
  const columns = Math.max(1, Math.floor(input.columns ?? defaultColumns(drawn.length)))
  const rows = Math.ceil(drawn.length / columns)
  const width = columns * PITCH
  const height = Math.max(rows, 1) * PITCH
  // one label per cell, made once for its aria-label and its <title>
  const rects: string[] = []
  for (let i = 0; i < drawn.length; i++) {
    const cell = drawn[i]!
    const x = (i % columns) * PITCH + 1
    const y = Math.floor(i / columns) * PITCH + 1
    const label = cellLabel(cell, none)
    const fill = cell.value === null ? NO_VALUE_FILL : scaleColour(cell.value)
    rects.push(`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" rx="2" fill="${fill}"${cell.value === null ? ' class="na"' : ''} data-i="${i}" tabindex="0" role="img" aria-label="${isolatedAttr(label)}"><title>${escapeText(label)}</title></rect>`)
  }
  const note =
    size === 1
      ? ''
      : `<p class="hm-note">${input.cells.length.toLocaleString('en')} cells are too many to draw one by one: the grid shows ${drawn.length.toLocaleString('en')} groups of ${size} consecutive cells, each coloured by the mean of its values; the table lists the groups.</p>`
  // Chromium makes the <svg> itself a tab stop before its cells (as a scroller): only the cells are
  const grid = `<svg class="hm-grid" tabindex="-1" role="group" aria-label="${escapeAttr(input.caption)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-columns="${columns}">${rects.join('')}</svg>`
  const rowsHtml = drawn.map((c) => `<tr><th scope="row">${isolated(c.id)}</th><td>${isolated(c.label)}</td><td class="num">${escapeText(valueText(c.value, none))}</td><td>${isolated(c.detail)}</td></tr>`)
  const table = `<details class="hm-table"><summary>The numbers of this grid (${drawn.length.toLocaleString('en')} ${size === 1 ? 'cells' : 'groups'})</summary><table><caption>${escapeText(input.caption)}</caption><thead><tr><th scope="col">id</th><th scope="col">label</th><th scope="col">${escapeText(input.legend.title)}</th><th scope="col">detail</th></tr></thead><tbody>${rowsHtml.join('')}</tbody></table></details>`
  return `<figure class="hm" data-cells="${input.cells.length}" data-drawn="${drawn.length}"><figcaption>${escapeText(input.caption)}</figcaption>${note}${grid}<output class="hm-detail" hidden></output>${legend(input.legend, none)}${table}</figure>`
}

function legend(l: HeatmapInput['legend'], none: string): string {
  const swatches = VIRIDIS.map((c, i) => `<rect x="${i * 12}" y="0" width="12" height="12" fill="${c}"></rect>`).join('')
  return `<p class="hm-legend"><span class="hm-legend-title">${escapeText(l.title)}:</span> <span>${escapeText(l.low)} (0%)</span> <svg aria-hidden="true" width="${VIRIDIS.length * 12}" height="12" viewBox="0 0 ${VIRIDIS.length * 12} 12">${swatches}</svg> <span>${escapeText(l.high)} (100%)</span> <svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><rect class="na" width="12" height="12" fill="${NO_VALUE_FILL}"></rect></svg> <span>${escapeText(none)}</span></p>`
}

export const HEATMAP_STYLE = `.hm-grid{display:block;max-width:100%;height:auto;margin:.3em 0}
.hm-grid rect{stroke:var(--cell-line);stroke-width:1}
.hm-grid rect:hover{stroke:var(--fg)}
.hm-grid rect:focus{outline:none;stroke:var(--focus);stroke-width:3}
.hm rect.na{fill:var(--na)}
.hm-legend{display:flex;flex-wrap:wrap;align-items:center;gap:.4em;margin:.3em 0}.hm-legend svg rect{stroke:var(--cell-line)}
.hm-note{color:var(--mute)}.hm-detail{display:block;min-height:1.4em;font-variant-numeric:tabular-nums}.hm-detail[hidden]{display:none}`

/**
 * Progressive enhancement, for reportPage's `script`: the focused or hovered cell's label is shown
 * under the grid, and each grid becomes one tab stop whose cells the arrow keys (and Home/End) move
 * between. Without it every cell is its own tab stop and the tooltip is the browser's.
 */
export const HEATMAP_SCRIPT = `for(const svg of document.querySelectorAll('svg.hm-grid')){
const cells=[...svg.querySelectorAll('rect[data-i]')],cols=Number(svg.dataset.columns),out=svg.parentElement.querySelector('.hm-detail');
let current=cells[0];for(const c of cells)if(c!==current)c.setAttribute('tabindex','-1');
const show=(c)=>{out.hidden=false;out.textContent=c.getAttribute('aria-label');};
svg.addEventListener('focusin',(e)=>{const c=e.target;if(!c.dataset.i)return;current.setAttribute('tabindex','-1');c.setAttribute('tabindex','0');current=c;show(c);});
svg.addEventListener('mouseover',(e)=>{if(e.target.dataset.i)show(e.target);});
svg.addEventListener('keydown',(e)=>{const i=Number(e.target.dataset.i);if(Number.isNaN(i))return;
const step={ArrowRight:1,ArrowLeft:-1,ArrowDown:cols,ArrowUp:-cols,Home:-i,End:cells.length-1-i}[e.key];
const next=step===undefined?undefined:cells[i+step];if(next){e.preventDefault();next.focus();}});
}`
