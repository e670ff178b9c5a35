/**
 * `npx tsx bench/report.ts [--against DIR] [--only 100k|3k] [--runs N]` (after `npm run build`): the
 * whole `wicker report` command on the bench's generated courses (3,000 and 100,000 LEGOs, the course
 * of the detect and validate rows): wall time, CPU time and peak memory of the process (median of N,
 * default 3, after a warm-up), the page's size, and in Chromium the time from `goto(file://…)` to the
 * second animation frame (load and first paint), and from a trace the longest task of the page's
 * main thread while it opens (wall and CPU time) and that thread's CPU time, median of 3.
 * `--against DIR` measures another build too (DIR holds its bin/run.js and dist/, e.g. a copy made
 * before a change), alternating the two run by run, so both rows share the machine's load.
 * Needs Debian's chromium (test/helpers/browser.ts). Prints a Markdown table.
 */
import {mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {Browser} from 'playwright-core'

import {launchChromium} from '../test/helpers/browser.js'
import {benchCourse, BIN, median, runOnce} from './lib.js'

declare const requestAnimationFrame: (f: () => void) => void

const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const against = flag('--against')
const only = flag('--only')
const runs = Number(flag('--runs') ?? 3)

const dirt = (legos: number) => ({fill: 0.9, gateViolations: Math.round(legos / 200), empty: 5, overage: 5, orphans: 5, strays: 5, pollution: 2})
const cases = [
  {key: '3k', name: '3,000 LEGOs', make: () => benchCourse('legos-3000', {seed: 1, legos: 3000, canon: dirt(3000)})},
  {key: '100k', name: '100,000 LEGOs', make: () => benchCourse('legos-100k', {seed: 1, legos: 100_000, canon: dirt(100_000)})},
].filter((c) => only === undefined || c.key === only)
const builds = [{name: 'this build', bin: BIN}, ...(against ? [{name: against, bin: resolve(against, 'bin/run.js')}] : [])]

const out = mkdtempSync(join(tmpdir(), 'wicker-report-bench-'))

interface Opened {
  loadMs: number
  /** the longest task of the page's main thread from the first byte to half a second after the first paint: wall time (what a person waits) */
  longestTaskMs: number
  /** the longest by CPU time, which a loaded machine does not stretch */
  longestTaskCpuMs: number
  /** CPU time of every task of the page's main thread in that span */
  mainThreadCpuMs: number
  drawn: number
}

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  dur?: number
  tdur?: number
  args?: {beginData?: {url?: string}}
}

/**
 * Opens the page in a fresh tab under a Chromium trace: load and first paint, and the tasks of the
 * renderer's main thread that parsed it (a task over 50 ms is one the page cannot answer input
 * during: the Long Tasks API's threshold).
 */
async function open(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.newPage({viewport: {width: 1280, height: 900}})
  const traceFile = `${file}.trace.json`
  await browser.startTracing(page, {path: traceFile, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline']})
  const url = pathToFileURL(file).href
  const t = performance.now()
  await page.goto(url, {timeout: 120_000})
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  const loadMs = performance.now() - t
  await page.waitForTimeout(500)
  await browser.stopTracing()
  const drawn = await page.locator('rect[data-i]').count()
  await page.close()
  const events = (JSON.parse(readFileSync(traceFile, 'utf8')) as {traceEvents: TraceEvent[]}).traceEvents
  const parse = events.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url === url)
  if (!parse) throw new Error(`no ParseHTML of ${url} in the trace`)
  const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === parse.pid && e.tid === parse.tid)
  const wall = tasks.map((e) => (e.dur ?? 0) / 1000)
  const cpu = tasks.map((e) => (e.tdur ?? 0) / 1000)
  return {loadMs, longestTaskMs: Math.max(0, ...wall), longestTaskCpuMs: Math.max(0, ...cpu), mainThreadCpuMs: cpu.reduce((sum, x) => sum + x, 0), drawn}
}

const browser = await launchChromium()
const rows = ['| course | build | `wicker report` | CPU | peak memory | page | load + first paint | longest task (CPU) | main thread CPU | cells drawn |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|']
try {
  for (const c of cases) {
    const dir = c.make()
    const files = builds.map((b, i) => join(out, `${c.key}-${i}.html`))
    const wall = builds.map((): number[] => [])
    const cpu = builds.map((): number[] => [])
    const peak = builds.map(() => 0)
    // a warm-up each, then the builds in turn, run after run
    for (let r = 0; r <= runs; r++) {
      for (const [i, b] of builds.entries()) {
        const m = runOnce(process.execPath, [b.bin, 'report', dir, '--out', files[i]!], {memory: true, cpu: true})
        if (m.code !== 0) throw new Error(`${b.bin} report ${dir} exited ${m.code}`)
        if (r === 0) continue
        wall[i]!.push(m.ms)
        cpu[i]!.push(m.cpuMs!)
        peak[i] = Math.max(peak[i]!, m.peakMiB ?? 0)
      }
    }
    const opened = builds.map((): Opened[] => [])
    for (let r = 0; r < 3; r++) for (const [i] of builds.entries()) opened[i]!.push(await open(browser, files[i]!))
    for (const [i, b] of builds.entries()) {
      const o = opened[i]!
      const of = (k: keyof Opened) => median(o.map((x) => x[k]))
      rows.push(`| ${c.name} | ${b.name} | ${(median(wall[i]!) / 1000).toFixed(2)} s | ${(median(cpu[i]!) / 1000).toFixed(2)} s | ${Math.round(peak[i]!)} MiB | ${(statSync(files[i]!).size / 1e6).toFixed(1)} MB | ${Math.round(of('loadMs'))} ms | ${Math.round(of('longestTaskMs'))} ms (${Math.round(of('longestTaskCpuMs'))} ms) | ${Math.round(of('mainThreadCpuMs'))} ms | ${o[0]!.drawn.toLocaleString('en')} |`)
      console.error(rows.at(-1))
    }
  }
} finally {
  await browser.close()
}
console.log(rows.join('\n'))
