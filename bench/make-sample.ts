/**
 * Writes the bundled sample course (sample/courses/qtl_for_qkn): an invented course of 20 seeds in
 * two invented languages (ISO 639 reserves qaa–qtz for local use), with a clean, partly filled
 * canon. Deterministic: running it again gives the same files.
 *   npx tsx bench/make-sample.ts
 */
import {rmSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {generateCourse} from './synth/generate.js'
import {writeCourse} from './synth/write.js'

const parent = fileURLToPath(new URL('../sample/courses/', import.meta.url))
const synth = generateCourse({seed: 2026, seeds: 20, code: 'qtl_for_qkn', canon: {fill: 0.55}})
rmSync(`${parent}/${synth.code}`, {recursive: true, force: true})
const dir = writeCourse(parent, synth)
console.log(`${dir}: ${synth.expected.legos} LEGOs, ${synth.expected.needed} new, ${synth.expected.present} with a basket`)
