// Loaded with NODE_OPTIONS=--import: records the process's peak resident memory (KiB) at exit.
import {writeFileSync} from 'node:fs'

const file = process.env.WICKER_BENCH_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
