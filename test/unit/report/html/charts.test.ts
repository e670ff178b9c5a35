import {describe, expect, it} from 'vitest'

import {bars, CLASS_COLOURS, duration, sparkline, timeline} from '../../../../src/core/report/html/charts.js'

const tableRows = (html: string) => [...html.matchAll(/<tr>(.*?)<\/tr>/g)].slice(1).map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<\/?bdi>/g, '')))
const ariaOf = (html: string) => /aria-label="([^"]*)"/.exec(html)![1]!

describe('charts', () => {
  it('sparkline: a line through the values, and every value, the lowest, highest and last in its text alternative', () => {
    const svg = sparkline([0.8, 0.9, null, 0.85, 0.95], {label: 'GATE of S0001'})
    const alt = 'GATE of S0001: 0.8, 0.9, –, 0.85, 0.95 (lowest 0.8, highest 0.95, last 0.95)'
    expect(ariaOf(svg)).toBe(alt)
    expect(svg).toContain(`<title>${alt}</title>`)
    // the gap splits the line in two; the highest value is at the top (y = 2), the lowest at the bottom
    const lines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number)))
    expect(lines).toHaveLength(2)
    expect(lines[0]![0]![1]).toBe(18)
    expect(lines[1]![1]![1]).toBe(2)
    expect(sparkline([], {label: 'x'})).toContain('aria-label="x: no values"')
  })

  it('bars: one bar per item, longest for the largest, value written beside it, and the numbers in a table', () => {
    const items = [{label: 'ok', value: 612}, {label: 'timeout', value: 9}, {label: 'crash & burn', value: 0}]
    const html = bars(items, {caption: 'Attempts by class', unit: 'attempts'})
    const widths = [...html.matchAll(/<rect class="bar" [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]))
    expect(widths).toEqual([300, 4.4, 0])
    expect([...html.matchAll(/<text class="val"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['612', '9', '0'])
    expect(ariaOf(html)).toBe('Attempts by class: ok 612, timeout 9, crash &amp; burn 0')
    expect(tableRows(html)).toEqual([['ok', '612'], ['timeout', '9'], ['crash &amp; burn', '0']])
    expect(bars([{label: 'usd', value: 41.271}], {caption: 'c', format: (v) => v.toFixed(2)})).toContain('<td class="num">41.27</td>')
    expect(() => bars([{label: 'x', value: -1}], {caption: 'c'})).toThrow(RangeError)
  })

  it('timeline: spans on one time axis coloured by class, with times in the titles and every span in the table', () => {
    const t0 = Date.parse('2026-11-30T09:00:00Z')
    const html = timeline({
      caption: 'Attempts',
      rows: [
        {label: 'P1', spans: [{start: t0, end: t0 + 60_000, class: 'timeout'}, {start: '2026-11-30T09:01:00Z', end: '2026-11-30T09:03:30Z', class: 'ok'}]},
        {label: 'P2', spans: [{start: t0 + 30_000, end: t0 + 90_000, class: 'ok'}]},
      ],
    })
    const spans = [...html.matchAll(/<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="\d+" fill="([^"]+)"><title>([^<]*)</g)].map((m) => ({x: Number(m[1]), w: Number(m[2]), fill: m[3], title: m[4]}))
    expect(spans.map((s) => s.fill)).toEqual([CLASS_COLOURS[1], CLASS_COLOURS[0], CLASS_COLOURS[0]])
    expect(spans.map((s) => s.title)).toEqual(['P1: timeout, +0 ms to +1 min (1 min)', 'P1: ok, +1 min to +3 min 30 s (2 min 30 s)', 'P2: ok, +30 s to +1 min 30 s (1 min)'])
    // 210 s over 620 px from x = 170
    expect(spans[1]!.x).toBeCloseTo(170 + (60 / 210) * 620, 1)
    expect(spans[1]!.w).toBeCloseTo((150 / 210) * 620, 1)
    expect(ariaOf(html)).toBe('Attempts: 2 rows, 3 spans over 3 min 30 s (ok 2, timeout 1)')
    expect(tableRows(html)).toEqual([['P1', 'timeout', '+0 ms', '+1 min', '1 min'], ['P1', 'ok', '+1 min', '+3 min 30 s', '2 min 30 s'], ['P2', 'ok', '+30 s', '+1 min 30 s', '1 min']])
  })

  it('timeline: draws at most maxRows rows and says so; the table keeps them all', () => {
    const rows = Array.from({length: 10}, (_, i) => ({label: `P${i}`, spans: [{start: i * 1000, end: i * 1000 + 500, class: 'ok'}]}))
    const html = timeline({rows, caption: 'c', maxRows: 4})
    expect(html).toContain('the first 4 of 10 rows')
    expect(html.match(/<title>P\d/g)).toHaveLength(4)
    expect(tableRows(html)).toHaveLength(10)
  })

  it('writes durations as a person reads them', () => {
    expect([850, 12_500, 200_000, 7_500_000].map(duration)).toEqual(['850 ms', '12.5 s', '3 min 20 s', '2 h 5 min'])
  })
})
