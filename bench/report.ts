/**
 * `npx tsx bench/report.ts` (after `npm run build`): the whole `wicker report` command on the bench's
 * generated courses (3,000 and 100,000 LEGOs, the course of the detect and validate rows): wall time
 * and peak memory of the process (median of 3 after a warm-up), the page's size, and the time
 * Chromium takes from `goto(file://…)` to the second animation frame (load and first paint), median
 * of 3. Needs Debian's chromium (test/helpers/browser.ts). Prints a Markdown table.
 */
import {mkdtempSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {launchChromium} from '../test/helpers/browser.js'
import {benchCourse, BIN, measure, median} from './lib.js'

declare const requestAnimationFrame: (f: () => void) => void

const dirt = (legos: number) => ({fill: 0.9, gateViolations: Math.round(legos / 200), empty: 5, overage: 5, orphans: 5, strays: 5, pollution: 2})
const cases = [
  {name: '3,000 LEGOs', dir: benchCourse('legos-3000', {seed: 1, legos: 3000, canon: dirt(3000)})},
  {name: '100,000 LEGOs', dir: benchCourse('legos-100k', {seed: 1, legos: 100_000, canon: dirt(100_000)})},
]
const out = mkdtempSync(join(tmpdir(), 'wicker-report-bench-'))
const browser = await launchChromium()
const rows = ['| course | `wicker report` | peak memory | page | load + first paint | cells drawn |', '|---|---:|---:|---:|---:|---:|']
try {
  for (const c of cases) {
    const file = join(out, `${c.name.replace(/\W+/g, '-')}.html`)
    const m = measure(process.execPath, [BIN, 'report', c.dir, '--out', file], 3, {memory: true})
    if (m.exitCodes.some((x) => x !== 0)) throw new Error(`wicker report ${c.dir} exited ${m.exitCodes.join(', ')}`)
    const loads: number[] = []
    let drawn = 0
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({viewport: {width: 1280, height: 900}})
      const t = performance.now()
      await page.goto(pathToFileURL(file).href, {timeout: 120_000})
      await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      loads.push(performance.now() - t)
      drawn = await page.locator('rect[data-i]').count()
      await page.close()
    }
    rows.push(`| ${c.name} | ${(m.medianMs / 1000).toFixed(2)} s | ${Math.round(m.peakMiB!)} MiB | ${(statSync(file).size / 1e6).toFixed(1)} MB | ${Math.round(median(loads))} ms | ${drawn.toLocaleString('en')} |`)
    console.error(rows.at(-1))
  }
} finally {
  await browser.close()
}
console.log(rows.join('\n'))
