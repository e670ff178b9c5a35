import {benchCourse} from './lib.js'
import {reportData} from '../src/core/report/data.js'
import {runValidate} from '../src/core/validate/run.js'
import {runDetect} from '../src/core/detect/run.js'
import {gateRates} from '../src/core/validate/gate-rates.js'
import {openCourse} from '../src/core/open/open-course.js'
import {gateSettingsSchema} from '../src/core/schemas/config.js'
const legos = Number(process.argv[2] ?? 100000)
const dir = benchCourse(`legos-${legos === 100000 ? '100k' : legos}`, {seed: 1, legos, canon: {fill: 0.9, gateViolations: Math.round(legos / 200), empty: 5, overage: 5, orphans: 5, strays: 5, pollution: 2}})
const t = (label: string, start: number) => console.log(label, ((performance.now() - start) / 1000).toFixed(2), 's')
let s = performance.now()
await runDetect({course: dir, cwd: dir}); t('detect', s)
s = performance.now()
await runValidate({course: dir, cwd: dir}); t('validate', s)
const {course, canon} = await openCourse({course: dir, cwd: dir})
s = performance.now()
gateRates(course, canon, gateSettingsSchema.parse({})); t('gateRates x4', s)
s = performance.now()
gateRates(course, canon, gateSettingsSchema.parse({}), ['cumulative']); t('gateRates x1 cumulative', s)
s = performance.now()
const {data} = await reportData({course: dir, cwd: dir}); t('reportData', s)
const text = JSON.stringify(data)
console.log('json chars', text.length, 'seeds', data.seeds.length, 'legos', course.legos.length, 'new', data.detect.counts.needed, 'rss MiB', Math.round(process.memoryUsage().rss / 2**20))
const parts: Record<string, number> = {}
for (const k of Object.keys(data)) parts[k] = JSON.stringify((data as any)[k]).length
console.log(parts)
console.log(data.gate.rates)
console.log(JSON.stringify(data.seeds[500]))
