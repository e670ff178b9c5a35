import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {THEMES} from '../../src/core/report/html/page.js'
import {launchChromium, watchedPage} from '../helpers/browser.js'
import {demoPage, type DemoPage} from '../helpers/report-demo.js'

// the functions given to page.evaluate run in the browser; the project's lib has no DOM types
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any, window: any, getComputedStyle: any, requestAnimationFrame: any

/**
 * The report page's pieces in a real browser, opened from disk as a user would open the report:
 * the demo page (invented data, hostile labels included) with a 668-seed and a 3,000-seed heatmap.
 */
describe('report page pieces in headless Chromium, from file://', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wicker-report-page-'))
  const write = (name: string, html: string) => {
    const file = join(dir, name)
    writeFileSync(file, html)
    return pathToFileURL(file).href
  }
  const demo: DemoPage = demoPage([668, 3000])
  const url = write('demo.html', demo.html)
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  const watched = (opts: {javaScriptEnabled?: boolean} = {}) => watchedPage(browser, opts)

  it('loads with no console error, no CSP violation and no request but the file; one cell per seed; the data parses back', async () => {
    const {page, requests, errors} = await watched()
    await page.goto(url)
    expect(await page.locator('figure.hm').evaluateAll((figs) => figs.map((f) => f.querySelectorAll('rect[data-i]').length))).toEqual(demo.cells)
    expect(await page.evaluate(() => JSON.stringify(JSON.parse(document.getElementById('report-data')!.textContent!)))).toBe(JSON.stringify(demo.data))
    // the hostile labels stayed text: the page has its two scripts and nothing else ran
    expect(await page.locator('script').count()).toBe(2)
    expect(await page.locator('figure.hm').first().locator('rect[data-i="0"] title').textContent()).toContain('</script><script>alert(1)</script>')
    expect(requests).toEqual([url])
    expect(errors).toEqual([])
    mkdirSync('bench/out', {recursive: true})
    const shot = await page.screenshot({path: 'bench/out/report-demo.png', fullPage: true})
    expect(shot.length).toBeGreaterThan(50_000)
    await page.context().close()
  })

  it('is usable by keyboard: Tab reaches a cell, its label says id, percentage and detail, arrows move between cells', async () => {
    const {page, errors} = await watched()
    await page.goto(url)
    const active = () => page.evaluate(() => ({tag: document.activeElement?.tagName, label: document.activeElement?.getAttribute('aria-label') ?? '', text: document.activeElement?.textContent ?? ''}))
    await page.keyboard.press('Tab')
    expect(await active()).toMatchObject({tag: 'A', text: 'Skip to the report'})
    // then the nav's links, then the first cell: nothing in between takes a tab stop (not the <svg> itself)
    const stops: string[] = []
    while ((await active()).tag !== 'rect' && stops.length < 40) {
      await page.keyboard.press('Tab')
      stops.push((await active()).tag!)
    }
    expect(stops).toEqual(['A', 'A', 'A', 'A', 'rect'])
    const first = await active()
    expect(first.tag).toBe('rect')
    expect(first.label).toMatch(/^\u2068S0001 \(<\/script><script>alert\(1\)<\/script>\): (\d+(\.\d)?%|no new LEGOs); /)
    const detail = page.locator('figure.hm').first().locator('output.hm-detail')
    expect(await detail.textContent()).toBe(first.label)
    await page.keyboard.press('ArrowRight')
    expect((await active()).label).toMatch(/^\u2068S0002 /)
    const columns = Number(await page.locator('svg.hm-grid').first().getAttribute('data-columns'))
    await page.keyboard.press('ArrowDown')
    expect((await active()).label).toMatch(new RegExp(`^\\u2068S${String(2 + columns).padStart(4, '0')} `))
    // the enhanced grid is one tab stop: the next Tab leaves it for its table's summary, the next for the next grid
    await page.keyboard.press('Tab')
    expect(await active()).toMatchObject({tag: 'SUMMARY', text: 'The numbers of this grid (668 cells)'})
    await page.keyboard.press('Tab')
    expect((await active()).label).toMatch(/^\u2068S0001 /)
    expect(await page.evaluate(() => document.activeElement!.closest('figure') === document.querySelectorAll('figure.hm')[1])).toBe(true)
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('renders in both colour schemes with each theme’s colours', async () => {
    const {page, errors} = await watched()
    await page.goto(url)
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({colorScheme: scheme})
      const seen = await page.evaluate(() => ({bg: getComputedStyle(document.body).backgroundColor, fg: getComputedStyle(document.body).color, na: getComputedStyle(document.querySelector('rect.na')!).fill}))
      expect(seen).toEqual({bg: rgb(THEMES[scheme].bg), fg: rgb(THEMES[scheme].fg), na: rgb(THEMES[scheme].na)})
      if (scheme === 'dark') await page.screenshot({path: 'bench/out/report-demo-dark.png'})
    }
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('shows the numbers with JavaScript off: bar values, table rows, every cell with its label', async () => {
    const {page, errors, requests} = await watched({javaScriptEnabled: false})
    await page.goto(url)
    const text = (await page.locator('main').textContent())!
    for (const n of ['612', '41.27', 'S0668', 'S3000', '+0 ms']) expect(text).toContain(n)
    // the bars' values are drawn as text, visible without opening anything
    expect(await page.locator('svg.bars text.val').allTextContents()).toEqual(['612', '31', '12', '9', '4', '1', '0.00', '41.27', '18.50', '9.03'])
    expect(await page.locator('figure.hm').first().locator('details.hm-table tbody tr').count()).toBe(668)
    // without the script every cell is its own tab stop, with its label
    expect(await page.locator('rect[data-i][tabindex="0"][aria-label]').count()).toBe(668 + 3000)
    expect(await page.locator('output.hm-detail').first().isHidden()).toBe(true)
    expect(requests).toEqual([url])
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('opens 3,000 and 100,000 cells (grouped) without freezing; logs the load times', async () => {
    const figures: string[] = []
    for (const [name, n] of [['3000', 3000], ['100000', 100_000]] as const) {
      const big = demoPage([n])
      const bigUrl = write(`demo-${name}.html`, big.html)
      const {page, errors} = await watched()
      const t0 = performance.now()
      await page.goto(bigUrl)
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      const ms = performance.now() - t0
      const drawn = await page.locator('rect[data-i]').count()
      expect(drawn).toBe(Math.min(n, 5000))
      expect(Number(await page.locator('figure.hm').getAttribute('data-cells'))).toBe(n)
      if (n > 5000) expect(await page.locator('.hm-note').first().textContent()).toContain('100,000 cells are too many to draw one by one')
      expect(errors).toEqual([])
      figures.push(`${n} cells (${drawn} drawn, ${(Buffer.byteLength(big.html) / 1e6).toFixed(1)} MB): ${Math.round(ms)} ms to load and paint`)
      await page.context().close()
    }
    console.log(`report page in Chromium: ${figures.join('; ')}`)
  }, 60_000)
})
