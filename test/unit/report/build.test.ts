import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../../bench/synth/generate.js'
import {writeCourse} from '../../../bench/synth/write.js'
import {buckets, cleanShare, reportHtml} from '../../../src/core/report/build.js'
import {reportData} from '../../../src/core/report/data.js'
import {markWords} from '../../../src/core/report/html/marks.js'
import type {ReportSeed} from '../../../src/core/schemas/report.js'
import {tempDir} from '../../helpers/fs.js'

describe('markWords', () => {
  it('marks whole words, ignoring case, and escapes the rest', () => {
    expect(markWords('Taba <b>tabaro</b> taba.', ['TABA'])).toBe('<mark>Taba</mark> &lt;b&gt;tabaro&lt;/b&gt; <mark>taba</mark>.')
    expect(markWords('zelo mira', ['mir'])).toBe('zelo mira')
  })
  it('falls back to substrings in scripts without spaces, and keeps the longer of overlapping words', () => {
    expect(markWords('我喜欢喝茶', ['喝茶', '喝'])).toBe('我喜欢<mark>喝茶</mark>')
  })
  it('marks nothing it cannot place exactly, and never lets a word inject markup', () => {
    expect(markWords('İstanbul x', ['x'])).toBe('İstanbul x')
    expect(markWords('a <i> b', ['<i>'])).toBe('a <mark>&lt;i&gt;</mark> b')
  })
})

describe('buckets and cleanShare', () => {
  it('averages values in order into at most n points, leaving gaps where a bucket has no value', () => {
    expect(buckets([1, 2, 3], 5)).toEqual([1, 2, 3])
    expect(buckets([0, 2, null, null, 4, 6], 3)).toEqual([1, null, 5])
  })
  it("gives a seed's share of baskets without findings, null without a basket", () => {
    const seed = (legos: ReportSeed['legos']) => ({legos}) as ReportSeed
    expect(cleanShare(seed([['a', 'ok'], ['b', 'ok', 'x', {gate: 2}], ['c', 'missing', 'y']]))).toBe(0.5)
    expect(cleanShare(seed([['c', 'missing', 'y']]))).toBeNull()
  })
})

describe('reportHtml', () => {
  it('has every section, a data-k on each headline number, one grid row per seed, and the data embedded', async () => {
    const dir = writeCourse(tempDir(), generateCourse({seeds: 30, seed: 4, canon: {fill: 0.7, gateViolations: 6, leakage: 1}}))
    const {data} = await reportData({course: dir, cwd: dir})
    const html = reportHtml(data)
    expect([...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['summary', 'coverage', 'checks', 'gate', 'runs', 'history'])
    const keys = [...html.matchAll(/data-k="([^"]+)"/g)].map((m) => m[1])
    expect(keys).toEqual(expect.arrayContaining(['detect.coverage', 'detect.counts.present', 'validate.verdict', 'gate.cumulative.rate', 'gate.seed.violations', ...data.checks.map((c) => `checks.${c.id}.count`)]))
    expect(new Set(keys).size).toBe(keys.length)
    expect([...html.matchAll(/<figure class="hm" data-cells="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([30, 30])
    expect(html).toContain('<mark>')
    expect(html).toContain('No launch runs')
  })
})
