import {describe, expect, it} from 'vitest'

import {heatmap, MAX_DRAWN_CELLS, NO_VALUE_FILL, scaleColour, VIRIDIS, type HeatCell} from '../../../../src/core/report/html/heatmap.js'

const cells = (n: number, value: (i: number) => number | null = (i) => (i % 11) / 10): HeatCell[] =>
  Array.from({length: n}, (_, i) => ({id: `S${String(i + 1).padStart(4, '0')}`, label: `seed ${i + 1}`, value: value(i), detail: `${i % 7} of 6 new LEGOs`}))
const legend = {title: 'coverage', low: 'none', high: 'all', none: 'no new LEGOs'}
const rects = (html: string) => [...html.matchAll(/<rect ([^>]*data-i="[^"]*"[^>]*)><title>([^<]*)<\/title><\/rect>/g)].map((m) => ({attrs: m[1]!, title: m[2]!, fill: /fill="([^"]+)"/.exec(m[1]!)![1], label: /aria-label="([^"]+)"/.exec(m[1]!)![1]}))

describe('heatmap', () => {
  it('colours by the viridis scale: its stops at 0, 0.5 and 1, ordered from dark to light between', () => {
    expect([scaleColour(0), scaleColour(0.5), scaleColour(1)]).toEqual(['#440154', '#21918c', '#fde725'])
    expect(scaleColour(0.05)).toBe('#461365')
    expect(() => scaleColour(1.01)).toThrow(RangeError)
    expect(() => scaleColour(Number.NaN)).toThrow(RangeError)
  })

  it('draws one focusable <rect> per cell, with its fill and a label of id, percentage and detail', () => {
    const input = cells(668, (i) => (i === 5 ? null : i === 6 ? 0.875 : (i % 11) / 10))
    const drawn = rects(heatmap({cells: input, legend, caption: 'Coverage by seed'}))
    expect(drawn).toHaveLength(668)
    drawn.forEach((r, i) => {
      const c = input[i]!
      expect(r.fill).toBe(c.value === null ? NO_VALUE_FILL : scaleColour(c.value))
      expect(r.attrs).toMatch(/tabindex="0" role="img"/)
      expect(r.label).toContain(c.id)
    })
    expect(drawn[6]!.label).toBe('\u2068S0007 (seed 7): 87.5%; 6 of 6 new LEGOs\u2069')
    expect(drawn[6]!.title).toBe('S0007 (seed 7): 87.5%; 6 of 6 new LEGOs')
    expect(drawn[5]!.label).toBe('\u2068S0006 (seed 6): no new LEGOs; 5 of 6 new LEGOs\u2069')
    expect(drawn[10]!.fill).toBe(VIRIDIS[10])
  })

  it('fits 668 cells in a screen-sized grid', () => {
    const html = heatmap({cells: cells(668), legend, caption: 'c'})
    const [w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(html)!.slice(1).map(Number)
    expect(w).toBeLessThanOrEqual(1280)
    expect(h).toBeLessThanOrEqual(400)
  })

  it('has the same numbers in a table inside a <details>, one row per cell', () => {
    const input = cells(30)
    const html = heatmap({cells: input, legend, caption: 'c'})
    const table = /<details class="hm-table">[\s\S]*<\/details>/.exec(html)![0]
    const rows = [...table.matchAll(/<tr><th scope="row"><bdi>([^<]*)<\/bdi><\/th><td><bdi>[^<]*<\/bdi><\/td><td class="num">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]])
    expect(rows).toEqual(input.map((c) => [c.id, `${(c.value! * 100).toFixed(1)}%`]))
  })

  it('draws 3,000 cells one by one, and 100,000 as groups of consecutive cells with a note that says so', () => {
    expect(rects(heatmap({cells: cells(3000), legend, caption: 'c'}))).toHaveLength(3000)
    const big = heatmap({cells: cells(100_000, (i) => (i < 20 ? 1 : i < 40 ? (i % 2 ? 0 : null) : 0.5)), legend, caption: 'c'})
    const drawn = rects(big)
    expect(drawn).toHaveLength(MAX_DRAWN_CELLS)
    expect(big).toContain('100,000 cells are too many to draw one by one: the grid shows 5,000 groups of 20 consecutive cells')
    expect(drawn[0]!.title).toBe('S0001–S0020 (20 cells): 100.0%; mean of 20; lowest 100.0%, highest 100.0%')
    expect(drawn[1]!.title).toBe('S0021–S0040 (20 cells): 0.0%; mean of 10; lowest 0.0%, highest 0.0%; 10 without a value')
    expect(drawn[1]!.fill).toBe(VIRIDIS[0])
  })

  it('escapes hostile labels in every place they appear', () => {
    const html = heatmap({cells: [{id: '"><script>x</script>', label: '</title><svg onload=alert(1)>', value: 0.5, detail: '<!--'}], legend, caption: '</figcaption>'})
    expect(html).not.toMatch(/<script|<svg onload|<!--|<\/figcaption><\/figcaption>/)
    expect(rects(html)).toHaveLength(1)
  })
})
