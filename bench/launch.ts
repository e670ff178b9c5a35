/**
 * launch overhead: N packets (default 1,000) with the built-in agent at concurrency 2, against GNU
 * parallel -j2 running the same agent command on the same packets and prompts (installed with apt
 * when missing), one after the other in one run. Target (issue 16): within 1.05× of GNU parallel.
 *
 * The machine may be shared, so beside the wall times it reports the launcher's own CPU time per
 * packet (user + system of the wicker process, its children excluded: process.resourceUsage() at
 * exit, through --import of a hook given on the launcher's command line only, so the agents do not
 * load it), which a loaded machine stretches much less than wall time.
 *   npx tsx bench/launch.ts [packets]
 */
import {execSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {generateCourse} from './synth/generate.js'
import {writeCourse} from './synth/write.js'
import {BIN, OUT, printTable, saveResults, type Row} from './lib.js'

const AGENT = fileURLToPath(new URL('../dist/agent/builtin.js', import.meta.url))

function ensureParallel(): void {
  if (spawnSync('parallel', ['--version']).status === 0) return
  console.error('installing GNU parallel (apt-get)…')
  execSync('apt-get update -qq && apt-get install -y -qq parallel', {stdio: 'inherit'})
}

/** A hook that writes its process's own CPU time (ms, children excluded) to a file at exit. */
function cpuHook(): {hook: string; file: string} {
  mkdirSync(OUT, {recursive: true})
  const hook = join(OUT, 'launch-cpu-hook.mjs')
  const file = join(OUT, `launch-cpu-${process.pid}.txt`)
  writeFileSync(hook, `import {writeFileSync} from 'node:fs'\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(file)}, String((u.userCPUTime + u.systemCPUTime) / 1000)) })\n`)
  return {hook, file}
}

export function runLaunchBench(packets = 1000): Row[] {
  ensureParallel()
  const parent = join(OUT, 'courses', `launch-${packets}`)
  rmSync(parent, {recursive: true, force: true})
  const dir = writeCourse(parent, generateCourse({seed: 8, seeds: packets, canon: {fill: 0}}))
  const prep = JSON.parse(spawnSync(process.execPath, [BIN, 'prepare-segments', dir, '--packet-size', '1', '--json'], {encoding: 'utf8', maxBuffer: 1 << 28}).stdout)
  const run = prep.result.run as string
  const count = prep.result.totals.packets as number
  const runDir = join(dir, '.wicker', 'runs', run)

  const {hook, file} = cpuHook()
  const start = process.hrtime.bigint()
  const launched = spawnSync(process.execPath, [`--import=${hook}`, BIN, 'launch', dir, '--concurrency', '2', '--stagger', '0s', '--json'], {encoding: 'utf8', maxBuffer: 1 << 28})
  const wickerMs = Number(process.hrtime.bigint() - start) / 1e6
  const result = JSON.parse(launched.stdout).result
  if (result.packets.ok !== count) throw new Error(`launch: ${result.packets.ok} of ${count} ok`)
  const cpuMs = Number(readFileSync(file, 'utf8'))
  rmSync(file)

  const out = join(OUT, 'parallel-out')
  rmSync(out, {recursive: true, force: true})
  mkdirSync(out, {recursive: true})
  const packetsDir = join(runDir, 'packets')
  const script = `ls ${packetsDir}/*.json | parallel -j2 'WICKER_PACKET={} WICKER_OUTPUT=${out}/{/.}.json ${process.execPath} ${AGENT} < ${runDir}/prompts/{/.}.md > /dev/null'`
  const pstart = process.hrtime.bigint()
  const par = spawnSync('bash', ['-c', script], {encoding: 'utf8'})
  const parallelMs = Number(process.hrtime.bigint() - pstart) / 1e6
  if (par.status !== 0 || readdirSync(out).length !== count) throw new Error(`parallel: ${par.stderr}`)
  rmSync(out, {recursive: true, force: true})
  if (existsSync(parent)) rmSync(parent, {recursive: true, force: true})

  const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  return [
    {
      benchmark: `launch, ${count} packets, built-in agent, -j 2`,
      measured: `${fmt(wickerMs)} (${((wickerMs / count) * 2).toFixed(0)} ms/packet/slot)`,
      target: `1.05 × GNU parallel -j2 (${fmt(parallelMs)})`,
      ratio: (wickerMs / parallelMs / 1.05).toFixed(2),
      note: `wicker / parallel = ${(wickerMs / parallelMs).toFixed(2)}×; launcher CPU ${fmt(cpuMs)} (${(cpuMs / count).toFixed(1)} ms/packet, children excluded); wicker also validates and stages each output and writes the ledger`,
    },
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = runLaunchBench(Number(process.argv[2] ?? 1000))
  console.log(printTable(rows))
  saveResults('launch', rows)
}
