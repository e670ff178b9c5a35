/**
 * How detect, validate and preview + merge grow with the course: 10,000 and 100,000 LEGOs, and
 * 1,000,000 with `--1m` (`npm run bench:scaling [-- --1m]`; the 1M course takes a few minutes to
 * generate and about 4 GB of disk). Each step prints the exponent k of time ∝ size^k (and of peak
 * memory) between two sizes: k ≤ 1 is linear or better (the target). Start-up and fixed costs make
 * the first step's k fall below 1.
 */
import {spawnSync} from 'node:child_process'
import {cpSync, rmSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, OUT, measure, median, printTable, runOnce, saveResults, type Measure, type Row} from './lib.js'
import {stagedCourse} from './staging.js'

interface Point {
  legos: number
  measures: Record<string, Measure>
}

const STEPS = ['detect', 'validate', 'preview + merge'] as const

function measurePoint(legos: number): Point {
  const runs = legos >= 1_000_000 ? 1 : 3
  const files = Math.max(10, Math.round(legos / 1000))
  const course = stagedCourse(`scaling-${legos}`, legos, 0.5, files)
  const measures: Record<string, Measure> = {}
  for (const command of ['detect', 'validate']) measures[command] = measure(process.execPath, [BIN, command, course.dir, '--json'], runs, {memory: true})
  // preview + merge of the staging into a fresh copy each run; the copy is not timed
  const work = join(OUT, `work-scaling-${legos}`)
  const dir = join(work, 'qtl_for_qkn')
  const times: number[] = []
  let peak = 0
  for (let i = 0; i < runs; i++) {
    rmSync(work, {recursive: true, force: true})
    cpSync(course.dir, dir, {recursive: true})
    spawnSync('sync')
    const preview = wicker(['preview', dir, '--out', join(work, 'plan.json'), '--json'])
    const merge = wicker(['merge', dir, '--plan', join(work, 'plan.json'), '--json'])
    times.push(preview.ms + merge.ms)
    peak = Math.max(peak, preview.peakMiB ?? 0, merge.peakMiB ?? 0)
  }
  rmSync(work, {recursive: true, force: true})
  measures['preview + merge'] = {medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), peakMiB: peak, runs, exitCodes: []}
  return {legos, measures}
}

/** One timed run of wicker (preview exits 1 when some baskets are blocked: still a measured run). */
function wicker(args: string[]): ReturnType<typeof runOnce> {
  const run = runOnce(process.execPath, [BIN, ...args], {memory: true})
  if (run.code !== 0 && run.code !== 1) throw new Error(`wicker ${args[0]} exited ${run.code}`)
  return run
}

const exponent = (a: number, b: number, na: number, nb: number) => Math.log(b / a) / Math.log(nb / na)
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)

export function scalingRows(points: Point[]): Row[] {
  const rows: Row[] = []
  for (const step of STEPS) {
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!]
      const [ma, mb] = [a.measures[step]!, b.measures[step]!]
      const kt = exponent(ma.medianMs, mb.medianMs, a.legos, b.legos)
      const km = exponent(ma.peakMiB!, mb.peakMiB!, a.legos, b.legos)
      rows.push({
        benchmark: `scaling of ${step}, ${a.legos.toLocaleString('en')} → ${b.legos.toLocaleString('en')} LEGOs`,
        measured: `${fmt(ma.medianMs)} → ${fmt(mb.medianMs)}, time ∝ n^${kt.toFixed(2)}; peak ${ma.peakMiB!.toFixed(0)} → ${mb.peakMiB!.toFixed(0)} MiB, ∝ n^${km.toFixed(2)}`,
        target: 'exponent ≤ 1 (linear)',
        ratio: Math.max(kt, km).toFixed(2),
      })
    }
  }
  return rows
}

export function runScalingBench(sizes = [10_000, 100_000]): Row[] {
  return scalingRows(sizes.map(measurePoint))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.includes('--1m') ? [10_000, 100_000, 1_000_000] : [10_000, 100_000]
  const rows = runScalingBench(sizes)
  console.log(printTable(rows))
  saveResults('scaling', rows)
}
