/**
 * wicker serve on loopback (issue 12 Done-when): uploads per second of small basket files from N
 * concurrent clients for a few seconds, then the p50/p99 latency of 200 uploads of a ~100 kB basket
 * file at concurrency 4. A real `wicker serve` process from the built bin; the clients are fetch calls.
 */
import {spawnSync} from 'node:child_process'
import {rmSync} from 'node:fs'
import {join} from 'node:path'

import {loadCourse} from '../src/core/course/load.js'
import {generateCourse} from './synth/generate.js'
import {missingBaskets, type StagedBasket} from './synth/staging.js'
import {writeCourse} from './synth/write.js'
import {BIN, OUT, printTable, saveResults, type Row} from './lib.js'
import {startServer} from './serve-process.js'

const fileOf = (baskets: StagedBasket[]) => JSON.stringify(Object.fromEntries(baskets.map((b) => [b.lego.id, {practice_phrases: b.phrases}])))
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!

export async function runServeBench(clients = 16, seconds = 5): Promise<Row[]> {
  const parent = join(OUT, 'courses', 'serve')
  rmSync(parent, {recursive: true, force: true})
  const dir = writeCourse(parent, generateCourse({seed: 12, seeds: 300, canon: {fill: 0}}))
  const course = await loadCourse(dir)
  const token = JSON.parse(spawnSync(process.execPath, [BIN, 'serve', 'token', 'create', dir, '--json'], {encoding: 'utf8'}).stdout).result.token as string
  const baskets = missingBaskets(course, new Set())
  const small = baskets.map((b) => fileOf([b]))
  const big: StagedBasket[] = []
  for (const b of baskets) {
    if (fileOf(big).length >= 100_000) break
    big.push(b)
  }
  const bigBody = fileOf(big)
  const {child, listening, exited} = await startServer(dir, ['--rate', '100000'])
  const server = {url: listening.url}
  const put = async (name: string, body: string) => {
    const res = await fetch(`${server.url}/v1/courses/${course.code}/staging/${name}`, {method: 'PUT', body, headers: {authorization: `Bearer ${token}`}})
    await res.arrayBuffer()
    if (res.status !== 201) throw new Error(`${name}: ${res.status}`)
  }
  try {
    let done = 0
    const until = Date.now() + seconds * 1000
    const t0 = process.hrtime.bigint()
    await Promise.all(Array.from({length: clients}, async (_, c) => {
      for (let i = 0; Date.now() < until; i++) {
        await put(`s${c}-${i}.json`, small[(c * 7919 + i) % small.length]!)
        done++
      }
    }))
    const rate = done / (Number(process.hrtime.bigint() - t0) / 1e9)
    const times: number[] = []
    let next = 0
    await Promise.all(Array.from({length: 4}, async () => {
      while (next < 200) {
        const n = next++
        const t = process.hrtime.bigint()
        await put(`big-${n}.json`, bigBody)
        times.push(Number(process.hrtime.bigint() - t) / 1e6)
      }
    }))
    times.sort((a, b) => a - b)
    return [
      {benchmark: `serve: small basket uploads on loopback, ${clients} clients for ${seconds} s (${done} files)`, measured: `${rate.toFixed(0)} uploads/s`, target: '—', ratio: '—'},
      {benchmark: `serve: 200 uploads of a ${(bigBody.length / 1000).toFixed(0)} kB basket file (${big.length} baskets), concurrency 4`, measured: `p50 ${quantile(times, 0.5).toFixed(0)} ms, p99 ${quantile(times, 0.99).toFixed(0)} ms`, target: '—', ratio: '—'},
    ]
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runServeBench()
  console.log(printTable(rows))
  saveResults('serve', rows)
}
