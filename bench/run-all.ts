/** Every benchmark, one table: `npm run bench` (builds first). About 10 minutes on 2 cores. */
import {cpus} from 'node:os'

import {runCliBench} from './cli.js'
import {runLaunchBench} from './launch.js'
import {runServeBench} from './serve.js'
import {printTable, saveResults} from './lib.js'
import {runStagingBench} from './staging.js'

const rows = [...runCliBench(), ...runStagingBench(), ...runLaunchBench(1000), ...(await runServeBench())]
console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})\n`)
console.log(printTable(rows))
saveResults('all', {node: process.version, cores: cpus().length, date: new Date().toISOString(), rows})
