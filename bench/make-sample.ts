/**
 * Writes the bundled sample course (sample/courses/qtl_for_qkn): an invented course of 20 seeds in
 * two invented languages (ISO 639 reserves qaa–qtz for local use), with a clean, partly filled
 * canon. Deterministic: running it again gives the same files.
 *   npx tsx bench/make-sample.ts
 */
import {rmSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {mkdirSync, writeFileSync} from 'node:fs'

import {generateCourse} from './synth/generate.js'
import {renderFormat} from './synth/staging.js'
import {writeCourse} from './synth/write.js'

const parent = fileURLToPath(new URL('../sample/courses/', import.meta.url))
const synth = generateCourse({seed: 2026, seeds: 20, code: 'qtl_for_qkn', canon: {fill: 0.55}})
rmSync(`${parent}/${synth.code}`, {recursive: true, force: true})
const dir = writeCourse(parent, synth)
console.log(`${dir}: ${synth.expected.legos} LEGOs, ${synth.expected.needed} new, ${synth.expected.present} with a basket`)

// A few dirty staging files, as real agent runs leave them: the demo copies them into staging.
const staging = fileURLToPath(new URL('../sample/staging/', import.meta.url))
rmSync(staging, {recursive: true, force: true})
mkdirSync(staging, {recursive: true})
const canon = synth.canon as {baskets: Record<string, {practice_phrases: Array<{known: string; target: string}>}>}
const [existing] = Object.entries(canon.baskets)
const lego = synth.course.legoById.get(existing![0])!
const old = synth.course.legos.find((l) => !l.isNew)!
const files: Record<string, string> = {
  // the same basket canon already has, in another shape: identical, nothing to do
  'agent03_copy_of_canon.json': renderFormat('F12', [{lego, phrases: existing![1].practice_phrases}], 'agent03')[0]!.content,
  // a basket for a LEGO that is not new: overage, never merged
  'agent05_overage.json': `${JSON.stringify({[old.id]: {practice_phrases: [{known: old.known, target: old.target}]}}, null, 2)}\n`,
  // an agent that was cut off mid-answer: invalid JSON, reported and left alone
  'agent07_truncated.json': `{"${lego.id}": {"practice_phrases": [{"known": "${lego.known}", "target": "${lego.target}`,
  // a swarm upload, not baskets at all: skipped
  'swarm_upload.json': `${JSON.stringify({browserId: 'demo', agentId: 'a1', seedRange: 'S0001-S0003', seeds: [{seed_id: 'S0001', legos: []}]}, null, 2)}\n`,
}
for (const [name, content] of Object.entries(files)) writeFileSync(`${staging}/${name}`, content)
console.log(`${staging}: ${Object.keys(files).length} dirty staging files`)
