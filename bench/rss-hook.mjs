// Loaded with NODE_OPTIONS=--import: records the process's peak resident memory (KiB) at exit, and
// with WICKER_BENCH_CPU_FILE its CPU time (user + system, ms), which a loaded machine stretches less than wall time.
import {writeFileSync} from 'node:fs'

const file = process.env.WICKER_BENCH_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
const cpuFile = process.env.WICKER_BENCH_CPU_FILE
if (cpuFile) {
  process.on('exit', () => {
    const {userCPUTime, systemCPUTime} = process.resourceUsage()
    writeFileSync(cpuFile, String((userCPUTime + systemCPUTime) / 1000))
  })
}
