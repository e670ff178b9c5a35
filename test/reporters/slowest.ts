import {writeFileSync} from 'node:fs'

import type {Reporter, TestModule} from 'vitest/node'

/** How many of the slowest test files `npm test` lists at its end (issue 16: drift stays visible). */
export const SLOWEST = 10

/** What the reporter reads of a test file: its id, its time, and the CPU test/setup/cpu.ts measured. */
export interface FileFigures {
  relativeModuleId: string
  diagnostic(): {duration: number}
  meta(): {cpu?: {self: number; children: number}}
}

/** The CPU seconds a file used (its process's and its child processes'), or null when not measured. */
export const cpuOf = (m: FileFigures): number | null => {
  const cpu = m.meta().cpu
  return cpu ? cpu.self + cpu.children : null
}

/** The slowest test files, slowest first: [file, seconds spent in its tests and hooks, CPU seconds or null]. Pure. */
export function slowest(modules: ReadonlyArray<FileFigures>, n = SLOWEST): Array<[string, number, number | null]> {
  return modules
    .map((m): [string, number, number | null] => [m.relativeModuleId, m.diagnostic().duration / 1000, cpuOf(m)])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
}

/** The report's text: a line per file, wall time and CPU, and the totals. Pure. */
export function slowestText(modules: ReadonlyArray<FileFigures>, n = SLOWEST): string {
  const rows = slowest(modules, n)
  const total = modules.reduce((s, m) => s + m.diagnostic().duration, 0) / 1000
  const cpus = modules.map(cpuOf).filter((c): c is number => c !== null)
  const cpuTotal = cpus.reduce((s, c) => s + c, 0)
  const width = Math.max(...rows.map(([f]) => f.length))
  const lines = rows.map(([file, s, cpu]) => `  ${file.padEnd(width)}  ${s.toFixed(1).padStart(6)} s${cpu === null ? '' : `  ${cpu.toFixed(1).padStart(6)} s CPU`}`)
  const cpuNote = cpus.length > 0 ? `; CPU ${cpuTotal.toFixed(0)} s in ${cpus.length} files, their child processes included` : ''
  return `\nThe ${rows.length} slowest test files (time in their tests and hooks; ${total.toFixed(0)} s in all ${modules.length} files, two at a time${cpuNote}):\n${lines.join('\n')}\n`
}

/** Every file's figures, most CPU first (then slowest first): what WICKER_TEST_CPU_JSON gets. Pure. */
export function allFiles(modules: ReadonlyArray<FileFigures>): Array<{file: string; seconds: number; cpu: number | null; self: number | null; children: number | null}> {
  return modules
    .map((m) => {
      const cpu = m.meta().cpu
      return {file: m.relativeModuleId, seconds: m.diagnostic().duration / 1000, cpu: cpuOf(m), self: cpu?.self ?? null, children: cpu?.children ?? null}
    })
    .sort((a, b) => (b.cpu ?? -1) - (a.cpu ?? -1) || b.seconds - a.seconds || a.file.localeCompare(b.file))
}

/**
 * A vitest reporter, beside the default one, that prints the ten slowest test files when the run ends;
 * with WICKER_TEST_CPU_JSON=<file> (its cpuJson option) it also writes every file's time and CPU there, most CPU first (to
 * find the many mid-sized files, which the ten slowest do not show).
 */
export default class SlowestFiles implements Reporter {
  /** cpuJson: the file WICKER_TEST_CPU_JSON named (vitest.config.ts reads it, and keeps it from the tests) */
  constructor(private readonly options: {cpuJson?: string} = {}) {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (this.options.cpuJson) writeFileSync(this.options.cpuJson, `${JSON.stringify(allFiles(modules), null, 2)}\n`)
    if (modules.length < 2) return
    process.stdout.write(slowestText(modules))
  }
}
