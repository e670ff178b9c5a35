// The baseline wicker is measured against: what the old scripts did. Reads every staging file,
// JSON.parse, Object.assign into canon, writes canon back. No checks, no safety.
//   node bench/naive-merge.mjs <canon.json> <staging dir> [--write]
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

const [canonFile, staging, write] = process.argv.slice(2)
const canon = JSON.parse(readFileSync(canonFile, 'utf8'))
const walk = (dir) => readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.name.startsWith('.') ? [] : e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
for (const file of walk(staging)) {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'))
    Object.assign(canon.baskets, data.baskets ?? data)
  } catch {
    // the old scripts skipped what they could not parse, silently
  }
}
if (write === '--write') writeFileSync(canonFile, JSON.stringify(canon, null, 2))
