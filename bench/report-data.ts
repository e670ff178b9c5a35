/**
 * `npx tsx bench/report-data.ts [LEGOS] [--alone]`: how long wicker report's data takes on a generated
 * course (100,000 LEGOs by default), what each part costs, and how big its JSON is. `--alone` runs only
 * reportData, so the peak RSS printed is its own.
 */
import {benchCourse} from './lib.js'
import {detect} from '../src/core/detect/detect.js'
import {openCourse} from '../src/core/open/open-course.js'
import {reportData} from '../src/core/report/data.js'
import {gateSettingsSchema, validateSettingsSchema} from '../src/core/schemas/config.js'
import {gateRates} from '../src/core/validate/gate-rates.js'
import {validate} from '../src/core/validate/validate.js'

const args = process.argv.slice(2)
const alone = args.includes('--alone')
const legos = Number(args.find((a) => !a.startsWith('--')) ?? 100_000)
const dir = benchCourse(legos === 100_000 ? 'legos-100k' : `legos-${legos}`, {seed: 1, legos, canon: {fill: 0.9, gateViolations: Math.round(legos / 200), empty: 5, overage: 5, orphans: 5, strays: 5, pollution: 2}})
const time = <T>(label: string, f: () => T): T => {
  const start = performance.now()
  const value = f()
  process.stdout.write(`${label}: ${((performance.now() - start) / 1000).toFixed(2)} s\n`)
  return value
}

if (!alone) {
  const {course, canon} = await openCourse({course: dir, cwd: dir, allowLoneSurrogates: true})
  const gate = gateSettingsSchema.parse({})
  time('detect', () => detect(course, canon))
  time('validate (all checks, cumulative)', () => validate(course, canon, {gate, validate: validateSettingsSchema.parse({})}))
  time('GATE only, cumulative', () => gateRates(course, canon, gate, ['cumulative']))
  time('GATE only, the three other definitions (what the report adds)', () => gateRates(course, canon, gate, ['window', 'strict', 'seed']))
}
const start = performance.now()
const {data} = await reportData({course: dir, cwd: dir})
const ms = performance.now() - start
const text = JSON.stringify(data)
const parts = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, JSON.stringify(v).length]))
process.stdout.write(`reportData (open, detect, validate, GATE ×3, ledgers, journal): ${(ms / 1000).toFixed(2)} s\n`)
process.stdout.write(`JSON: ${(text.length / 1e6).toFixed(2)} MB for ${data.seeds.reduce((n, s) => n + s.legos.length, 0)} LEGOs shown, ${data.seeds.length} seeds; by part ${JSON.stringify(parts)}\n`)
process.stdout.write(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB${alone ? '' : ' (the parts above included)'}\n`)
