// extract side by side in one run: a baseline build (a copy of bin/, dist/, package.json and oclif.manifest.json
// of another commit, with node_modules beside it), this build, and the naive read + parse.
// wall time (median) and CPU time (user+sys, median, steadier on a shared machine) and peak RSS, via GNU time
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {BIN, median} from './lib.js'
import {stagedCourse} from './staging.js'
//   npx tsx bench/extract-side-by-side.ts <baseline folder> [runs]
const before = process.argv[2] ?? '/tmp/wicker-before'
const runs = Number(process.argv[3] ?? 3)
const NAIVE = new URL('./naive-merge.mjs', import.meta.url).pathname
function run(args: string[]): {wall: number; cpu: number; rss: number} {
  const start = process.hrtime.bigint()
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...args], {stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'})
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(r.stderr)
  const [u, s, m] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
  return {wall, cpu: (u! + s!) * 1000, rss: m! / 1024}
}
for (const [name, legos, fill, files] of [['extract-1000', 24_000, 0.25, 1000], ['extract-400-large', 100_000, 0.1, 400]] as const) {
  const x = stagedCourse(name, legos, fill, files)
  const cmds: Record<string, string[]> = {
    before: [join(before, 'bin/run.js'), 'extract', x.dir, '--json'],
    after: [BIN, 'extract', x.dir, '--json'],
    naive: [NAIVE, join(x.dir, 'lego_baskets.json'), join(x.dir, 'phase5_baskets_staging')],
  }
  const res: Record<string, Array<{wall: number; cpu: number; rss: number}>> = {before: [], after: [], naive: []}
  for (let i = 0; i <= runs; i++) for (const k of Object.keys(cmds)) {
    const r = run(cmds[k]!)
    if (i > 0) res[k]!.push(r)
  }
  const mib = x.bytes / 2 ** 20
  const w = (k: string) => median(res[k]!.map((r) => r.wall))
  const c = (k: string) => median(res[k]!.map((r) => r.cpu))
  const p = (k: string) => Math.max(...res[k]!.map((r) => r.rss))
  const line = (k: string) => `${k}: wall ${w(k).toFixed(0)} ms (${(w(k) / w('naive')).toFixed(2)}× naive), cpu ${c(k).toFixed(0)} ms (${(c(k) / c('naive')).toFixed(2)}× naive), peak ${p(k).toFixed(0)} MiB (${(p(k) / mib).toFixed(2)}× staging)`
  console.log(`${name} (${mib.toFixed(0)} MiB staging, ${x.baskets} baskets, ${runs} runs each, interleaved)\n  ${line('before')}\n  ${line('after')}\n  naive: wall ${w('naive').toFixed(0)} ms, cpu ${c('naive').toFixed(0)} ms, peak ${p('naive').toFixed(0)} MiB`)
}
