import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {generateCourse, type SynthOptions} from './synth/generate.js'
import {writeCourse} from './synth/write.js'

export const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
export const OUT = fileURLToPath(new URL('./out/', import.meta.url))
const RSS_HOOK = fileURLToPath(new URL('./rss-hook.mjs', import.meta.url))

export interface Measure {
  /** median wall time, ms */
  medianMs: number
  minMs: number
  maxMs: number
  /** peak resident memory of the slowest-memory run, MiB (null when not measured) */
  peakMiB: number | null
  runs: number
  exitCodes: number[]
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** One run of a command: wall time, exit code and (with `memory`) its peak resident memory, (with `cpu`, a node process) its CPU time. */
export function runOnce(command: string, args: string[], options: {memory?: boolean; cpu?: boolean; env?: NodeJS.ProcessEnv} = {}): {ms: number; code: number; peakMiB: number | null; cpuMs?: number} {
  const rssFile = `${OUT}rss-${process.pid}.txt`
  const cpuFile = `${OUT}cpu-${process.pid}.txt`
  const hooked = options.memory || options.cpu
  const env = {...process.env, ...options.env, ...(hooked ? {NODE_OPTIONS: `--import=${RSS_HOOK}`} : {}), ...(options.memory ? {WICKER_BENCH_RSS_FILE: rssFile} : {}), ...(options.cpu ? {WICKER_BENCH_CPU_FILE: cpuFile} : {})}
  const start = process.hrtime.bigint()
  const result = spawnSync(command, args, {env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.error) throw result.error
  let peakMiB: number | null = null
  if (options.memory && existsSync(rssFile)) {
    peakMiB = Number(readFileSync(rssFile, 'utf8')) / 1024
    rmSync(rssFile)
  }
  let cpuMs: number | undefined
  if (options.cpu && existsSync(cpuFile)) {
    cpuMs = Number(readFileSync(cpuFile, 'utf8'))
    rmSync(cpuFile)
  }
  return {ms, code: result.status ?? -1, peakMiB, ...(cpuMs === undefined ? {} : {cpuMs})}
}

/** Runs a command `runs` times (after one warm-up) and measures wall time and peak memory. */
export function measure(command: string, args: string[], runs: number, options: {memory?: boolean; env?: NodeJS.ProcessEnv} = {}): Measure {
  const times: number[] = []
  const codes: number[] = []
  let peak = 0
  for (let i = 0; i <= runs; i++) {
    const run = runOnce(command, args, options)
    if (i === 0) continue // warm-up: file cache, compile cache
    times.push(run.ms)
    codes.push(run.code)
    peak = Math.max(peak, run.peakMiB ?? 0)
  }
  return {medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), peakMiB: options.memory ? peak : null, runs, exitCodes: codes}
}

/** A generated course in bench/out, made once per set of options. */
export function benchCourse(name: string, options: SynthOptions): string {
  const parent = `${OUT}courses/${name}`
  const synth = () => generateCourse(options)
  const marker = `${parent}/.done`
  if (existsSync(marker)) return `${parent}/${options.code ?? 'qtl_for_qkn'}`
  rmSync(parent, {recursive: true, force: true})
  mkdirSync(parent, {recursive: true})
  const course = synth()
  const dir = writeCourse(parent, course, {pretty: false})
  writeFileSync(marker, JSON.stringify(course.expected))
  return dir
}

export interface Row {
  benchmark: string
  measured: string
  target: string
  ratio: string
  note?: string
}

export function printTable(rows: Row[]): string {
  const lines = ['| benchmark | measured | target | measured / target |', '|---|---|---|---|', ...rows.map((r) => `| ${r.benchmark} | ${r.measured} | ${r.target} | ${r.ratio}${r.note ? ` (${r.note})` : ''} |`)]
  return lines.join('\n')
}

export function saveResults(name: string, data: unknown): void {
  mkdirSync(OUT, {recursive: true})
  writeFileSync(`${OUT}${name}.json`, `${JSON.stringify(data, null, 2)}\n`)
}
