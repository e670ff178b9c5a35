/**
 * The report page's pieces in Chromium (issue 14: "opens in a browser without freezing"): for a
 * demo page of n invented seeds, the time to build the HTML string, its size, and the time from
 * `goto(file://…)` to the second animation frame (load and first paint), median of 3. 100,000 cells
 * once as the heatmap draws them (5,000 groups) and once forced to one rect per cell, to show why.
 * Run: `npx tsx bench/report-page.ts` (needs Debian's chromium, see test/helpers/browser.ts).
 */
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {launchChromium} from '../test/helpers/browser.js'
import {demoPage} from '../test/helpers/report-demo.js'

declare const requestAnimationFrame: (f: () => void) => void

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const dir = mkdtempSync(join(tmpdir(), 'wicker-report-bench-'))
mkdirSync(dir, {recursive: true})
const browser = await launchChromium()
const rows: string[] = ['| seeds | drawn cells | build | page size | load + first paint |', '|---:|---:|---:|---:|---:|']
try {
  for (const [n, maxCells] of [[668, undefined], [3000, undefined], [100_000, undefined], [100_000, Number.POSITIVE_INFINITY]] as const) {
    const builds: number[] = []
    let html = ''
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      html = demoPage([n], maxCells ? {maxCells} : {}).html
      builds.push(performance.now() - t)
    }
    const url = pathToFileURL(join(dir, `demo-${n}-${maxCells ?? 'grouped'}.html`)).href
    writeFileSync(new URL(url), html)
    const loads: number[] = []
    let drawn = 0
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({viewport: {width: 1280, height: 900}})
      const t = performance.now()
      await page.goto(url, {timeout: 120_000})
      await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      loads.push(performance.now() - t)
      drawn = await page.locator('rect[data-i]').count()
      await page.close()
    }
    rows.push(`| ${n.toLocaleString('en')} | ${drawn.toLocaleString('en')} | ${Math.round(median(builds))} ms | ${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB | ${Math.round(median(loads))} ms |`)
    console.error(rows.at(-1))
  }
} finally {
  await browser.close()
}
console.log(rows.join('\n'))
