/**
 * preview + merge of the three issue-16 cases, for one or more builds side by side in one run (each
 * case: the builds and the naive script interleaved on fresh copies), so before/after ratios share
 * the machine's load. `npx tsx bench/merge-ab.ts [/path/to/other/bin/run.js …] [--runs N]`: the
 * current build (bin/run.js) is always measured.
 */
import {spawnSync} from 'node:child_process'
import {cpSync, readFileSync, readdirSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {BIN, OUT, median} from './lib.js'
import {roundBase} from './staging.js'

const NAIVE = fileURLToPath(new URL('./naive-merge.mjs', import.meta.url))
const argv = process.argv.slice(2)
const runsAt = argv.indexOf('--runs')
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3
const bins = [...argv.filter((a, i) => a !== '--runs' && i !== runsAt + 1), BIN]
const only = process.env.WICKER_AB_CASES?.split(',')

const CPU = join(OUT, `ab-cpu-${process.pid}.txt`)
/** CPU time (user + system, ms) of one run, from /usr/bin/time: on a shared, loaded machine it varies far less than wall time. */
const wall: Map<string, number[]> = new Map()
function timed(args: string[], key: string): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', CPU, process.execPath, ...args], {stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28})
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  const [elapsed, user, sys] = readFileSync(CPU, 'utf8').trim().split(/\s+/).slice(-3).map(Number)
  wall.set(key, [...(wall.get(key) ?? []), elapsed! * 1000])
  return (user! + sys!) * 1000
}
const wallOf = (...keys: string[]) => keys.reduce((n, k) => n + median(wall.get(k)!), 0)

const cases = [
  {key: 'routine', name: 'merge-100k-canon', fill: 0.95, files: 100, kind: 'steady' as const},
  {key: 'stress', name: 'merge-100k', fill: 0.5, files: 1000, kind: 'steady' as const},
  {key: 'first', name: 'merge-100k-canon', fill: 0.95, files: 100, kind: 'first' as const},
].filter((c) => !only || only.includes(c.key))

for (const c of cases) {
  const base = roundBase(c.name, c.fill, c.files, c.kind)
  const work = join(OUT, `ab-${c.key}`)
  const dir = join(work, 'qtl_for_qkn')
  const plan = join(work, 'plan.json')
  const fresh = () => {
    rmSync(work, {recursive: true, force: true})
    cpSync(base, dir, {recursive: true})
    spawnSync('sync')
  }
  const naive: number[] = []
  const totals = bins.map(() => ({preview: [] as number[], merge: [] as number[]}))
  for (let i = 0; i < runs; i++) {
    fresh()
    naive.push(timed([NAIVE, join(dir, 'lego_baskets.json'), join(dir, 'phase5_baskets_staging'), '--write'], `${c.key}:naive`))
    for (const [b, bin] of bins.entries()) {
      fresh()
      totals[b]!.preview.push(timed([bin, 'preview', dir, '--out', plan, '--json'], `${c.key}:${b}:preview`))
      totals[b]!.merge.push(timed([bin, 'merge', dir, '--plan', plan, '--json'], `${c.key}:${b}:merge`))
    }
  }
  rmSync(work, {recursive: true, force: true})
  const n = median(naive)
  const staging = readdirSync(join(base, 'phase5_baskets_staging'), {withFileTypes: true}).filter((e) => e.isFile()).reduce((s, e) => s + statSync(join(base, 'phase5_baskets_staging', e.name)).size, 0)
  console.log(`${c.key} (${(staging / 1e6).toFixed(0)} MB staging): naive ${n.toFixed(0)} ms CPU, ${wallOf(`${c.key}:naive`).toFixed(0)} ms wall`)
  for (const [b, bin] of bins.entries()) {
    const p = median(totals[b]!.preview)
    const m = median(totals[b]!.merge)
    const w = wallOf(`${c.key}:${b}:preview`, `${c.key}:${b}:merge`)
    console.log(`  ${bin}: CPU ${(p + m).toFixed(0)} ms (${p.toFixed(0)} + ${m.toFixed(0)}) = ${((p + m) / n).toFixed(2)}× naive; wall ${w.toFixed(0)} ms = ${(w / wallOf(`${c.key}:naive`)).toFixed(2)}× naive`)
  }
}
