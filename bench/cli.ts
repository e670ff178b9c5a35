/**
 * Start-up, detect and validate against the targets of DESIGN.md §8 and issue 16:
 *   wicker --version ≤ 2× bare `node -e 0`, measured in the same run; --help ≤ 150 ms;
 *   detect and validate ≤ 0.5 s on 3,000 LEGOs; on 100,000 LEGOs detect ≤ 1.5 s, validate ≤ 3 s,
 *   peak memory ≤ 600 MB for both.
 * Run with `npm run bench` (builds first). Courses are generated once into bench/out/.
 */
import {BIN, benchCourse, measure, printTable, saveResults, type Row} from './lib.js'

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)

export function runCliBench(): Row[] {
  const rows: Row[] = []
  const node = measure(process.execPath, ['-e', '0'], 15)
  const version = measure(process.execPath, [BIN, '--version'], 15)
  rows.push({benchmark: 'wicker --version', measured: fmt(version.medianMs), target: `2 × bare node (${fmt(2 * node.medianMs)})`, ratio: (version.medianMs / (2 * node.medianMs)).toFixed(2), note: `wicker / node = ${(version.medianMs / node.medianMs).toFixed(2)}×`})
  const help = measure(process.execPath, [BIN, '--help'], 15)
  rows.push({benchmark: 'wicker --help', measured: fmt(help.medianMs), target: '150 ms', ratio: (help.medianMs / 150).toFixed(2), note: `bare node ${fmt(node.medianMs)}`})
  const sizes = [
    {name: '3k', legos: 3_000, runs: 7, targets: {detect: 500, validate: 500}, memory: null},
    {name: '100k', legos: 100_000, runs: 3, targets: {detect: 1_500, validate: 3_000}, memory: 600 * 1e6 / 2 ** 20},
  ]
  for (const size of sizes) {
    const dir = benchCourse(`legos-${size.name}`, {seed: 1, legos: size.legos, canon: {fill: 0.9, gateViolations: Math.round(size.legos / 200), empty: 5, overage: 5, orphans: 5, strays: 5, pollution: 2}})
    for (const command of ['detect', 'validate'] as const) {
      const m = measure(process.execPath, [BIN, command, dir, '--json'], size.runs, {memory: true})
      const target = size.targets[command]
      const note = `peak ${m.peakMiB!.toFixed(0)} MiB${size.memory ? ` (target ≤ 600 MB = ${size.memory.toFixed(0)} MiB: ${(m.peakMiB! / size.memory).toFixed(2)})` : ''}`
      rows.push({benchmark: `${command} ${size.legos.toLocaleString('en')} LEGOs`, measured: fmt(m.medianMs), target: fmt(target), ratio: (m.medianMs / target).toFixed(2), note})
    }
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = runCliBench()
  console.log(printTable(rows))
  saveResults('cli', rows)
}
