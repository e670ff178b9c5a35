/** Every benchmark, one table: `npm run bench` (builds first). About 15 minutes on 2 cores (the 1M-LEGO scaling step is separate: `npm run bench:scaling -- --1m`). */
import {cpus} from 'node:os'

import {runCliBench} from './cli.js'
import {runLaunchBench} from './launch.js'
import {runScalingBench} from './scaling.js'
import {runServeBench} from './serve.js'
import {printTable, saveResults} from './lib.js'
import {runStagingBench} from './staging.js'

const rows = [...runCliBench(), ...runStagingBench(), ...runLaunchBench(1000), ...(await runServeBench()), ...runScalingBench()]
console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})\n`)
console.log(printTable(rows))
saveResults('all', {node: process.version, cores: cpus().length, date: new Date().toISOString(), rows})
