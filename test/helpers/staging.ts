import {generateCourse} from '../../bench/synth/generate.js'
import {renderFormat, type StagedBasket} from '../../bench/synth/staging.js'
import {writeCourse} from '../../bench/synth/write.js'
import type {Course, Lego} from '../../src/core/course/model.js'
import type {FormatId} from '../../src/core/formats/containers.js'
import {tempDir, writeTree} from './fs.js'

/** A course with an empty canon, for staging tests; code spa_for_eng so language-named keys work. */
export function stagingCourse(seeds = 24, seed = 60, code = 'spa_for_eng') {
  const synth = generateCourse({seed, seeds, code, canon: {fill: 0}})
  return {...synth, dir: writeCourse(tempDir(), synth)}
}

/** Five phrases per LEGO, each containing it, built from its own seed's LEGOs. */
export function basketsFor(course: Course, seedIndex: number, salt = ''): StagedBasket[] {
  const seed = course.seeds[seedIndex]!
  return seed.legos
    .filter((l) => l.isNew)
    .map((lego: Lego) => ({
      lego,
      phrases: [0, 1, 2, 3, 4].map((i) => {
        const other = seed.legos[(lego.indexInSeed + i) % seed.legos.length]!
        return i === 0 ? {known: lego.known + salt, target: lego.target} : {known: `${lego.known} ${other.known}${salt}`, target: `${lego.target} ${other.target} ${'ó'.repeat(i)}`}
      }),
    }))
}

export function stage(dir: string, files: Array<{name: string; content: string}>, folder = 'phase5_baskets_staging'): void {
  writeTree(dir, Object.fromEntries(files.map((f) => [`${folder}/${f.name}`, f.content])))
}

export function renderAll(course: Course, formats: FormatId[], salt = ''): {files: Array<{name: string; content: string}>; expected: Map<string, StagedBasket>} {
  const files: Array<{name: string; content: string}> = []
  const expected = new Map<string, StagedBasket>()
  formats.forEach((format, i) => {
    const baskets = basketsFor(course, i, salt)
    files.push(...renderFormat(format, baskets, `t${i}`, {known: 'english', target: 'spanish'}))
    for (const b of baskets) expected.set(b.lego.id, b)
  })
  return {files, expected}
}
