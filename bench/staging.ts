/**
 * extract of 1,000 staging files (~20 MB) and preview + merge of 100,000 baskets, against the naive
 * baseline (read, JSON.parse, Object.assign, write), measured side by side in one run. Targets (issue 16):
 * extract ≤ 2× the naive read + parse of the same files with peak memory ≤ 3× the staging size;
 * preview + merge ≤ 1.5× the naive script, in every case (routine, stress, first merge).
 */
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {generateCourse} from './synth/generate.js'
import {missingBaskets, renderFormat, type StagedBasket} from './synth/staging.js'
import {writeCourse} from './synth/write.js'
import {mergedOnce} from './kill-merge.js'
import {BIN, OUT, median, printTable, runOnce, saveResults, type Row} from './lib.js'

const NAIVE = fileURLToPath(new URL('./naive-merge.mjs', import.meta.url))
const MULTI_SEED = ['F1', 'F2', 'F2b', 'F6', 'F11', 'F12'] as const

/** A course whose staging holds its missing baskets in `files` files of mixed formats. */
export function stagedCourse(name: string, legos: number, fill: number, files: number): {dir: string; baskets: number; bytes: number} {
  const parent = join(OUT, 'courses', name)
  const marker = join(parent, '.done')
  const dir = join(parent, 'qtl_for_qkn')
  if (!existsSync(marker)) {
    rmSync(parent, {recursive: true, force: true})
    const synth = generateCourse({seed: 5, legos, canon: {fill}})
    writeCourse(parent, synth, {pretty: false})
    const baskets = missingBaskets(synth.course, new Set(Object.keys((synth.canon as {baskets: object}).baskets)))
    const staging = join(dir, 'phase5_baskets_staging')
    mkdirSync(staging, {recursive: true})
    const per = Math.ceil(baskets.length / files)
    for (let i = 0; i < files; i++) {
      const group: StagedBasket[] = baskets.slice(i * per, (i + 1) * per)
      if (group.length === 0) break
      for (const f of renderFormat(MULTI_SEED[i % MULTI_SEED.length]!, group, `agent${String(i).padStart(4, '0')}`)) writeFileSync(join(staging, f.name), f.content)
    }
    writeFileSync(marker, String(baskets.length))
  }
  const staging = join(dir, 'phase5_baskets_staging')
  const bytes = readdirSync(staging).reduce((n, f) => n + statSync(join(staging, f)).size, 0)
  return {dir, baskets: Number(require_(marker)), bytes}
}

function require_(file: string): string {
  return spawnSync('cat', [file], {encoding: 'utf8'}).stdout
}

function time(args: string[], runs: number, setup?: () => void): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    setup?.()
    const start = process.hrtime.bigint()
    const r = spawnSync(process.execPath, args, {stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28})
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`)
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return median(times)
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)

export function runStagingBench(): Row[] {
  const rows: Row[] = []

  // extract: 1,000 files (about 20 MB), and 400 large files (about 90 MB)
  rows.push(extractRow(stagedCourse('extract-1000', 24_000, 0.25, 1000), '1,000 files'))
  rows.push(extractRow(stagedCourse('extract-400-large', 100_000, 0.1, 400), '400 large files'))

  // A course wicker has merged into before (its canon is in wicker's layout, with an index), then a
  // new round of staging; and, once, the first merge into a canon some other tool wrote.
  rows.push(previewMerge('merge-100k-canon', 0.95, 100, 'steady', 'a round of new baskets in 90 staging files, into a 100,000-LEGO course canon wicker wrote before'))
  rows.push(previewMerge('merge-100k', 0.5, 1000, 'steady', 'half the course new at once, in 900 staging files (stress case)'))
  rows.push(previewMerge('merge-100k-canon', 0.95, 100, 'first', 'the first merge into a canon another tool wrote: all of it is rewritten in wicker\'s layout, once'))
  return rows
}

/**
 * extract --json against the naive read + parse + assign of the same files, run in turns (extract,
 * naive, extract, naive…) so both see the same machine: wall time ratio (the target), CPU time ratio
 * (user + sys, steadier on a shared machine) and peak memory over staging size.
 */
export function extractRow(x: {dir: string; baskets: number; bytes: number}, label: string): Row {
  const times: number[] = []
  const cpu: number[] = []
  const naiveTimes: number[] = []
  const naiveCpu: number[] = []
  let peak = 0
  const naiveArgs = [NAIVE, join(x.dir, 'lego_baskets.json'), join(x.dir, 'phase5_baskets_staging')]
  for (let i = 0; i <= 5; i++) {
    const run = runOnce(BIN, ['extract', x.dir, '--json'], {memory: true, cpu: true})
    if (run.code !== 0 && run.code !== 1) throw new Error(`extract ${x.dir} exited ${run.code}`)
    const naive = runOnce(process.execPath, naiveArgs, {cpu: true})
    if (naive.code !== 0) throw new Error(`the naive read of ${x.dir} exited ${naive.code}`)
    if (i === 0) continue // warm-up: file cache
    times.push(run.ms)
    naiveTimes.push(naive.ms)
    if (run.cpuMs !== undefined) cpu.push(run.cpuMs)
    if (naive.cpuMs !== undefined) naiveCpu.push(naive.cpuMs)
    peak = Math.max(peak, run.peakMiB ?? 0)
  }
  const extract = median(times)
  const naiveRead = median(naiveTimes)
  const stagingMiB = x.bytes / 2 ** 20
  const ratio = extract / naiveRead
  const cpuNote = cpu.length > 0 && naiveCpu.length > 0 ? `; CPU ${fmt(median(cpu))} vs ${fmt(median(naiveCpu))}: ${(median(cpu) / median(naiveCpu)).toFixed(1)}×` : ''
  return {
    benchmark: `extract, ${label} (${(x.bytes / 1e6).toFixed(1)} MB, ${x.baskets.toLocaleString('en')} baskets)`,
    measured: `${fmt(extract)}, peak ${peak.toFixed(0)} MiB`,
    target: `≤ 2× naive; ≤ ${(3 * stagingMiB).toFixed(0)} MiB (3× staging)`,
    ratio: `${(ratio / 2).toFixed(2)} time, ${(peak / (3 * stagingMiB)).toFixed(2)} memory`,
    note: `naive read+parse+assign ${fmt(naiveRead)}: ${ratio.toFixed(1)}×${cpuNote}`,
  }
}

/** The course as a measured round finds it: for `steady`, a first tenth of the staging files already merged by wicker. */
export function roundBase(name: string, fill: number, files: number, kind: 'steady' | 'first'): string {
  const m = stagedCourse(name, 118_000, fill, files)
  if (kind === 'first') return m.dir
  const parent = join(OUT, 'courses', `${name}-steady`)
  const dir = join(parent, 'qtl_for_qkn')
  if (!existsSync(join(parent, '.done'))) {
    rmSync(parent, {recursive: true, force: true})
    cpSync(m.dir, dir, {recursive: true})
    mergedOnce(dir, 0.1)
    writeFileSync(join(parent, '.done'), '')
  }
  return dir
}

/** preview --out, then merge --plan, on a fresh copy each time; and the naive script on the same. */
function previewMerge(name: string, fill: number, files: number, kind: 'steady' | 'first', label: string): Row {
  const base = roundBase(name, fill, files, kind)
  const work = join(OUT, `work-${name}`)
  const dir = join(work, 'qtl_for_qkn')
  const fresh = () => {
    rmSync(work, {recursive: true, force: true})
    cpSync(base, dir, {recursive: true})
    // the copy's dirty pages are flushed before timing starts: they are the bench's, not wicker's
    spawnSync('sync')
  }
  const plan = join(work, 'plan.json')
  const previewMs: number[] = []
  const mergeMs: number[] = []
  let ops = 0
  let canonBaskets = 0
  for (let i = 0; i < 3; i++) {
    fresh()
    previewMs.push(time([BIN, 'preview', dir, '--out', plan, '--json'], 1))
    const written = JSON.parse(readFileSync(plan, 'utf8')) as {ops: unknown[]; canon: {baskets: number}}
    ops = written.ops.length
    canonBaskets = written.canon.baskets
    mergeMs.push(time([BIN, 'merge', dir, '--plan', plan, '--json'], 1))
  }
  const stagingBytes = readdirSync(join(base, 'phase5_baskets_staging'), {withFileTypes: true}).filter((e) => e.isFile()).reduce((n, e) => n + statSync(join(base, 'phase5_baskets_staging', e.name)).size, 0)
  const naive = time([NAIVE, join(dir, 'lego_baskets.json'), join(dir, 'phase5_baskets_staging'), '--write'], 3, fresh)
  const total = median(previewMs) + median(mergeMs)
  rmSync(work, {recursive: true, force: true})
  return {
    benchmark: `preview + merge: ${label} (${canonBaskets.toLocaleString('en')} baskets in canon + ${ops.toLocaleString('en')} merged, ${(stagingBytes / 1e6).toFixed(0)} MB staging)`,
    measured: `${fmt(total)} (${fmt(median(previewMs))} + ${fmt(median(mergeMs))})`,
    target: '≤ 1.5× naive',
    ratio: (total / naive / 1.5).toFixed(2),
    note: `naive read+parse+assign+write ${fmt(naive)}: ${(total / naive).toFixed(2)}×`,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = runStagingBench()
  console.log(printTable(rows))
  saveResults('staging', rows)
}
