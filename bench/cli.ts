/**
 * Start-up, detect and validate against the targets of DESIGN.md §8:
 *   wicker --version / --help ≤ 150 ms median (bare node is the floor);
 *   detect and validate ≤ 0.5 s on 3,000 LEGOs, ≤ 5 s and ≤ 1 GB on 100,000 LEGOs.
 * Run with `npm run bench` (builds first). Courses are generated once into bench/out/.
 */
import {BIN, benchCourse, measure, printTable, saveResults, type Row} from './lib.js'

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)

export function runCliBench(): Row[] {
  const rows: Row[] = []
  const node = measure(process.execPath, ['-e', '0'], 15)
  for (const args of [['--version'], ['--help']]) {
    const m = measure(process.execPath, [BIN, ...args], 15)
    rows.push({benchmark: `wicker ${args[0]}`, measured: fmt(m.medianMs), target: '150 ms', ratio: (m.medianMs / 150).toFixed(2), note: `bare node ${fmt(node.medianMs)}`})
  }
  const sizes = [
    {name: '3k', legos: 3_000, runs: 7, target: 500, memory: null},
    {name: '100k', legos: 100_000, runs: 3, target: 5_000, memory: 1024},
  ]
  for (const size of sizes) {
    const dir = benchCourse(`legos-${size.name}`, {seed: 1, legos: size.legos, canon: {fill: 0.9, gateViolations: Math.round(size.legos / 200), empty: 5, overage: 5, orphans: 5, strays: 5, pollution: 2}})
    for (const command of ['detect', 'validate']) {
      const m = measure(process.execPath, [BIN, command, dir, '--json'], size.runs, {memory: true})
      const note = `peak ${m.peakMiB!.toFixed(0)} MiB${size.memory ? ` (target ≤ ${size.memory} MiB: ${(m.peakMiB! / size.memory).toFixed(2)})` : ''}`
      rows.push({benchmark: `${command} ${size.legos.toLocaleString('en')} LEGOs`, measured: fmt(m.medianMs), target: fmt(size.target), ratio: (m.medianMs / size.target).toFixed(2), note})
    }
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = runCliBench()
  console.log(printTable(rows))
  saveResults('cli', rows)
}
