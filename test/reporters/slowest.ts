import type {Reporter, TestModule} from 'vitest/node'

/** How many of the slowest test files `npm test` lists at its end (issue 16: drift stays visible). */
export const SLOWEST = 10

/** The slowest test files, slowest first: [file, seconds spent in its tests and hooks]. Pure. */
export function slowest(modules: ReadonlyArray<{relativeModuleId: string; diagnostic(): {duration: number}}>, n = SLOWEST): Array<[string, number]> {
  return modules
    .map((m): [string, number] => [m.relativeModuleId, m.diagnostic().duration / 1000])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
}

/** A vitest reporter, beside the default one, that prints the ten slowest test files when the run ends. */
export default class SlowestFiles implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (modules.length < 2) return
    const rows = slowest(modules)
    const total = modules.reduce((s, m) => s + m.diagnostic().duration, 0) / 1000
    const width = Math.max(...rows.map(([f]) => f.length))
    const lines = rows.map(([file, s]) => `  ${file.padEnd(width)}  ${s.toFixed(1).padStart(6)} s`)
    process.stdout.write(`\nThe ${rows.length} slowest test files (time in their tests and hooks; ${total.toFixed(0)} s in all ${modules.length} files, two at a time):\n${lines.join('\n')}\n`)
  }
}
