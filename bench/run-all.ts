/** Every benchmark, one table. `npm run bench`. */
import {cpus} from 'node:os'

import {runCliBench} from './cli.js'
import {printTable, saveResults} from './lib.js'

const rows = runCliBench()
console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})\n`)
console.log(printTable(rows))
saveResults('all', {node: process.version, cores: cpus().length, date: new Date().toISOString(), rows})
