import {cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {GATE_DEFINITIONS} from '../../src/core/schemas/gate-definitions.js'
import type {ReportData} from '../../src/core/schemas/report.js'
import {launchChromium, watchedPage} from '../helpers/browser.js'
import {wickerAsync, type CliRun} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

// the functions given to page.evaluate run in the browser; the project's lib has no DOM types
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any

const SAMPLE = fileURLToPath(new URL('../../sample/courses/qtl_for_qkn', import.meta.url))

/** The data block of a report file, as the page embeds it. */
function embedded(html: string): ReportData {
  const m = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)
  expect(m, 'the page embeds its data').not.toBeNull()
  return JSON.parse(m![1]!) as ReportData
}

interface Truth {
  detect: any
  /** validate --json under each definition, by definition */
  validate: Record<string, any>
  /** the definition validate uses by default */
  definition: string
}

/** What the CLI itself says of the course: detect --json, and validate --json under every GATE definition. */
async function truthOf(dir: string): Promise<Truth> {
  const [detect, ...validates] = await Promise.all([wickerAsync(['detect', dir, '--json']), ...GATE_DEFINITIONS.map((g) => wickerAsync(['validate', dir, '--gate', g, '--json']))])
  const plain = await wickerIn(['validate', dir, '--json'])
  const ok = (r: CliRun) => {
    expect(r.json?.result, r.stderr).toBeDefined()
    return r.json.result
  }
  return {detect: ok(detect!), validate: Object.fromEntries(GATE_DEFINITIONS.map((g, i) => [g, ok(validates[i]!)])), definition: ok(plain).gate}
}

/** A number as the page shows it ("1,234", "53.8%", "0.13%") back to a number. */
const shown = (text: string) => Number(text.replace(/,/g, '').replace(/%$/, ''))

/**
 * Every number of the page that carries a data-k, against what detect and validate printed: the
 * summary, each check's count and GATE under each definition (validate --gate <definition>).
 */
function expectHeadline(seen: Record<string, string>, t: Truth): void {
  const v = t.validate[t.definition]
  const keys = Object.keys(seen)
  for (const k of ['detect.coverage', 'detect.counts.missing', 'validate.verdict', 'validate.counts.gateViolationRate', ...GATE_DEFINITIONS.map((g) => `gate.${g}.rate`)]) expect(keys).toContain(k)
  for (const [key, text] of Object.entries(seen)) {
    const [head, a, b] = key.split('.')
    if (key === 'detect.coverage') {
      // shown to a tenth of a percent, as detect prints it
      expect(Math.abs(shown(text) - t.detect.coverage * 100), key).toBeLessThanOrEqual(0.05 + 1e-9)
      if (t.detect.coverage < 1) expect(shown(text), key).toBeLessThan(100)
    } else if (head === 'detect') expect(shown(text), key).toBe(t.detect.counts[b!])
    else if (key === 'validate.verdict' || key === 'validate.gate') expect(text, key).toBe(v[a!])
    else if (key === 'validate.counts.gateViolationRate') expect(shown(text), key).toBeCloseTo(v.counts.gateViolationRate, 1)
    else if (head === 'validate') expect(shown(text), key).toBe(v.counts[b!])
    else if (head === 'checks') expect(shown(text), key).toBe(v.checks.find((c: any) => c.id === a).count)
    else if (head === 'gate' && b === 'violations') expect(shown(text), key).toBe(t.validate[a!].counts.gateViolations)
    else if (head === 'gate' && b === 'rate') expect(shown(text), key).toBeCloseTo(t.validate[a!].counts.gateViolationRate, 1)
    else throw new Error(`a data-k the test does not know: ${key}`)
  }
}

describe('wicker report: the page of a real course in headless Chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  /** Opens the file as a user would, recording every request, console error, uncaught error, dialog and CSP violation. */
  async function open(file: string): Promise<{page: Page; requests: string[]; errors: string[]; ms: number}> {
    const {page, requests, errors} = await watchedPage(browser)
    const t0 = performance.now()
    await page.goto(pathToFileURL(file).href)
    return {page, requests, errors, ms: performance.now() - t0}
  }

  const headline = (page: Page) => page.locator('[data-k]').evaluateAll((els) => Object.fromEntries(els.map((e: any) => [e.dataset.k, e.textContent])))
  const cellsPerGrid = (page: Page) => page.locator('figure.hm').evaluateAll((figs) => figs.map((f: any) => f.querySelectorAll('rect[data-i]').length))

  async function checkPage(file: string, t: Truth, seeds: number, shot: string): Promise<{page: Page; ms: number}> {
    const {page, requests, errors, ms} = await open(file)
    expect(await cellsPerGrid(page)).toEqual([seeds, seeds])
    expectHeadline(await headline(page), t)
    expect(requests).toEqual([pathToFileURL(file).href])
    expect(errors).toEqual([])
    mkdirSync('bench/out', {recursive: true})
    const png = await page.screenshot({path: `bench/out/${shot}`, fullPage: true})
    expect(png.length).toBeGreaterThan(50_000)
    // what a person sees on opening it (the README shows the 3,000-LEGO one: docs/report.png)
    await page.screenshot({path: `bench/out/${shot.replace('.png', '-top.png')}`})
    return {page, ms}
  }

  it('the sample course: the page shows what detect and validate say, one cell per seed, and loads nothing', async () => {
    const dir = join(tempDir(), 'qtl_for_qkn')
    cpSync(SAMPLE, dir, {recursive: true})
    const out = join(tempDir(), 'report.html')
    const r = await wickerIn(['report', dir, '--out', out, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const t = await truthOf(dir)
    const data = embedded(readFileSync(out, 'utf8'))
    expect(r.json.result).toMatchObject({file: out, seeds: data.seeds.length, coverage: t.detect.coverage, verdict: t.validate[t.definition].verdict})
    expect(data.detect).toEqual({counts: t.detect.counts, coverage: t.detect.coverage})
    expect(data.checks).toEqual(t.validate[t.definition].checks)
    for (const g of GATE_DEFINITIONS) expect(data.gate.rates.find((x) => x.definition === g)).toMatchObject({violations: t.validate[g].counts.gateViolations, phrases: t.validate[g].counts.phrases})
    const seeds = (JSON.parse(readFileSync(join(dir, 'lego_pairs.json'), 'utf8')) as {seeds: unknown[]}).seeds.length
    const {page} = await checkPage(out, t, seeds, 'report-sample.png')
    // hovering a thin seed's cell names its missing LEGOs
    const thin = data.seeds.find((s) => s.share !== null && s.share < 1)!
    const index = data.seeds.indexOf(thin)
    await page.locator('figure.hm').first().locator(`rect[data-i="${index}"]`).hover()
    const missing = thin.legos.find((l) => l[1] === 'missing')!
    expect(await page.locator('figure.hm').first().locator('output.hm-detail').textContent()).toContain(`${missing[0]} “${missing[2]}”: missing`)
    await page.context().close()
  })

  it('a generated 3,000-LEGO course with findings: the same proofs, and the worst baskets mark the words GATE found unavailable', async () => {
    const synth = generateCourse({legos: 3000, seed: 11, canon: {fill: 0.85, gateViolations: 40, empty: 4, overage: 3, orphans: 2, strays: 2, leakage: 4, swapped: 2}})
    const dir = writeCourse(tempDir(), synth)
    const out = join(tempDir(), 'report-3000.html')
    const r = await wickerIn(['report', dir, '--out', out, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const t = await truthOf(dir)
    const data = embedded(readFileSync(out, 'utf8'))
    expect(data.detect.counts.legos).toBe(synth.course.legos.length)
    expect(synth.course.legos.length).toBeGreaterThan(2900)
    expect(t.validate[t.definition].counts.gateViolations).toBeGreaterThan(0)
    const {page, ms} = await checkPage(out, t, synth.course.seeds.length, 'report-3000.png')
    // every word GATE found unavailable in a listed phrase is marked in it
    const gated = data.worst.flatMap((w) => w.phrases.flatMap((p) => p.findings.filter((f) => f.check === 'gate').map((f) => ({basket: w.basket, index: p.index, words: f.words!}))))
    expect(gated.length).toBeGreaterThan(0)
    const marks = await page.locator('details.worst').evaluateAll((ds) => ds.map((d: any) => [...d.querySelectorAll('tbody tr')].map((tr: any) => [...tr.querySelectorAll('mark')].map((m: any) => m.textContent.toLowerCase()))))
    for (const g of gated) {
      const w = data.worst.findIndex((x) => x.basket === g.basket)
      const row = data.worst[w]!.phrases.findIndex((p) => p.index === g.index)
      for (const word of g.words) expect(marks[w]![row], `${g.basket} phrase ${g.index}`).toContain(word.toLowerCase())
    }
    console.log(`report of 3,000 LEGOs (${synth.course.seeds.length} seeds, ${(Buffer.byteLength(readFileSync(out)) / 1e6).toFixed(2)} MB): ${Math.round(ms)} ms to load in Chromium`)
    await page.context().close()
  }, 60_000)

  it('after the demo: its report is printed, draws its launch run and its merge, and validate --report writes the same data', async () => {
    const root = tempDir()
    const demo = await wickerIn(['demo', root])
    expect(demo.code, demo.stderr).toBe(0)
    const course = join(root, 'qtl_for_qkn')
    const file = join(course, '.wicker', 'report.html')
    expect(demo.stdout.trim().split('\n').at(-1)).toBe(`The report: ${file} (open it in a browser: ${pathToFileURL(file).href})`)
    const data = embedded(readFileSync(file, 'utf8'))
    const status = (await wickerIn(['status', course, '--json'])).json.result
    expect(data.runs).toHaveLength(1)
    expect(data.runs[0]).toMatchObject({ok: data.runs[0]!.packets, failures: {}})
    expect(data.history).toEqual([expect.objectContaining({kind: 'merge', status: 'committed', coverage: expect.objectContaining({coverage: 1})})])
    expect(status.lastMerge?.tx ?? data.history[0]!.tx).toBe(data.history[0]!.tx)
    const {page, requests, errors} = await open(file)
    expect(await page.locator('svg.timeline rect').count()).toBe(data.runs[0]!.attempts.length)
    expect(await page.locator('#history tbody tr').count()).toBe(1)
    expect(requests).toHaveLength(1)
    expect(errors).toEqual([])
    await page.context().close()
    // validate --report: the same page data from one check, validate's own exit code and JSON
    const other = join(root, 'v.html')
    const v = await wickerIn(['validate', course, '--report', other, '--json'])
    expect(v.code).toBe(0)
    expect(v.json.result.verdict).toBe('PROCEED')
    const again = embedded(readFileSync(other, 'utf8'))
    expect({...again, generatedAt: ''}).toEqual({...data, generatedAt: ''})
  }, 90_000)

  it('hostile course text stays text: no script runs, no request leaves, the embedded data reads back', async () => {
    const dir = join(tempDir(), 'qtl_for_qkn')
    cpSync(SAMPLE, dir, {recursive: true})
    const pairs = JSON.parse(readFileSync(join(dir, 'lego_pairs.json'), 'utf8'))
    const hostile = '</script><script>document.title="pwned"</script><img src="http://127.0.0.1:9/x"><!--'
    const seeds = pairs.seeds as any[]
    const first = seeds[0]
    // the seed's own sentence and its label (wherever this shape keeps them) carry the bytes
    for (const k of Object.keys(first)) if (typeof first[k] === 'string' && k !== 'seed_id' && k !== 'id') first[k] = `${first[k]} ${hostile}`
    if (first.seed_pair) first.seed_pair = Object.fromEntries(Object.entries(first.seed_pair).map(([k, x]) => [k, `${String(x)} ${hostile}`]))
    writeFileSync(join(dir, 'lego_pairs.json'), JSON.stringify(pairs))
    const out = join(tempDir(), 'hostile.html')
    const r = await wickerIn(['report', dir, '--out', out, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const html = readFileSync(out, 'utf8')
    const data = embedded(html)
    expect(data.seeds[0]!.target).toContain(hostile)
    expect(html).not.toContain(hostile)
    const {page, requests, errors} = await open(out)
    expect(await page.title()).toBe('wicker report: qtl_for_qkn')
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.locator('script').count()).toBe(2)
    expect(requests).toEqual([pathToFileURL(out).href])
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('bad input: a folder that is not a course, an --out in a missing folder: exit 2 with the fix, no stack trace', async () => {
    const empty = tempDir()
    const a = await wickerIn(['report', empty, '--json'])
    expect(a.code).toBe(2)
    expect(a.json.name).toBeDefined()
    const dir = join(tempDir(), 'qtl_for_qkn')
    cpSync(SAMPLE, dir, {recursive: true})
    const b = await wickerIn(['report', dir, '--out', join(empty, 'no', 'such', 'r.html')])
    expect(b.code).toBe(2)
    expect(b.stderr).toContain('--out')
    expect(b.stderr).toContain('its folder does not exist')
    expect(b.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
    // a course folder whose .wicker is a link elsewhere: the default page is not written through it
    const outside = tempDir()
    symlinkSync(outside, join(dir, '.wicker'))
    const c = await wickerIn(['report', dir, '--json'])
    expect(c.code).toBe(2)
    expect(c.json.name).toBe('E_UNSAFE_PATH')
    expect(readdirSync(outside)).toEqual([])
  })
})
