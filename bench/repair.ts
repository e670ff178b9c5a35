/**
 * `extract --repair` on one sloppy agent reply, by size: jsonrepair's regular implementation (what
 * wicker used, quadratic) against repairJson (linear), and the whole `wicker extract --repair` on the
 * 1.4 MB reply of the issue. Run: `npm run build && npx tsx bench/repair.ts`.
 */
import {spawnSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {jsonrepair} from 'jsonrepair'

import {findJson} from '../src/core/staging/decode.js'
import {repairJson} from '../src/core/staging/repair.js'
import {benchCourse, BIN, median, OUT, printTable, saveResults, type Row} from './lib.js'
import {sloppyReply} from './synth/sloppy.js'

const ms = (f: () => unknown) => {
  const start = process.hrtime.bigint()
  f()
  return Number(process.hrtime.bigint() - start) / 1e6
}
const fmt = (t: number) => (t < 1000 ? `${t.toFixed(0)} ms` : `${(t / 1000).toFixed(2)} s`)

export async function runRepairBench(): Promise<Row[]> {
  const rows: Row[] = []
  // the regular implementation is only timed where it ends in reasonable time
  for (const mb of [0.35, 0.7, 1.4, 2.8, 5.6, 13.6]) {
    const {text, baskets} = sloppyReply(mb * 1e6)
    const json = findJson(text).text
    const times: number[] = []
    for (let i = 0; i < 3; i++) {
      const start = process.hrtime.bigint()
      await repairJson(json)
      times.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
    const linear = median(times)
    const regular = mb <= 2.8 ? ms(() => jsonrepair(json)) : null
    rows.push({
      benchmark: `repair a ${mb} MB sloppy reply (${baskets.toLocaleString('en')} baskets)`,
      measured: fmt(linear),
      target: `${mb} s (1 s per MB)`,
      ratio: (linear / (mb * 1000)).toFixed(2),
      note: regular === null ? 'regular jsonrepair not run (quadratic: far too long)' : `regular jsonrepair ${fmt(regular)}: ${(regular / linear).toFixed(1)}×`,
    })
  }

  const dir = benchCourse('repair', {seed: 9, seeds: 20, canon: {fill: 0}})
  const staging = join(dir, 'phase5_baskets_staging')
  mkdirSync(staging, {recursive: true})
  writeFileSync(join(staging, 'sloppy_reply.md'), sloppyReply(1.4e6).text)
  const runs: number[] = []
  for (let i = 0; i < 3; i++) runs.push(ms(() => spawnSync(process.execPath, [BIN, 'extract', dir, '--repair', '--json'], {stdio: 'ignore'})))
  rows.push({benchmark: 'wicker extract --repair, one 1.4 MB sloppy reply', measured: fmt(median(runs)), target: '2 s', ratio: (median(runs) / 2000).toFixed(2)})
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(OUT, {recursive: true})
  const rows = await runRepairBench()
  console.log(printTable(rows))
  saveResults('repair', rows)
}
