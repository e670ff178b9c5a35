import {describe, expect, it} from 'vitest'

import {readCanon} from '../../../src/core/canon/read.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {buildGateIndex, type GateIndexSettings} from '../../../src/core/gate/index.js'
import {units} from '../../../src/core/text/normalize.js'
import {synthCourse} from '../../helpers/course.js'
import {referenceWindowIndex} from './window-reference.js'

/**
 * The window index keeps where each entry is taught in flat arrays (index.ts WindowPlaces): every
 * answer equals the earlier index's (an object of three arrays per entry and rule, window-reference.ts),
 * for every phrase of generated courses checked at its own LEGO and at LEGOs far before and after,
 * under window settings from none to wide: check (with and without every word's rule), passes, count.
 */
const SETTINGS: Array<Omit<GateIndexSettings, 'definition'>> = [
  {windowSeeds: 10, recentNewLegos: 30, components: true},
  {windowSeeds: 1, recentNewLegos: 0, components: false},
  {windowSeeds: 0, recentNewLegos: 3, components: true},
  {windowSeeds: 3, recentNewLegos: 1, components: false, elision: {qtl: {articles: ["l'"], prepositions: ["d'"]}} as never},
]

/**
 * expect(got).toEqual(want), with a cheap look first: the answers are plain JSON data (numbers,
 * strings, arrays, null), so equal texts mean equal values; any other pair goes to toEqual, which
 * fails with its diff. (Some 75,000 toEqual calls were a third of this file's CPU.)
 */
function same(got: unknown, want: unknown): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) expect(got).toEqual(want)
}

describe('window GATE index', () => {
  for (const script of ['latin', 'han'] as const) {
    it(`answers as the reference index does (${script})`, async () => {
      const synth = synthCourse({legos: 400, script, canon: {gateViolations: 40, fill: 0.9}})
      const course = await loadCourse(synth.dir)
      const canon = await readCanon(course.files.canon)
      const phrases = [...canon.baskets.values()].flatMap((b) => b.phrases.flatMap((p) => (p ? [units(p.target)] : [])))
      const legos = course.legos
      let compared = 0
      let failing = 0
      for (const settings of SETTINGS) {
        const index = buildGateIndex(course, {...settings, definition: 'window'})
        const reference = referenceWindowIndex(course, {...settings, definition: 'window'})
        phrases.forEach((target, i) => {
          // each phrase at three LEGOs spread over the course, a basket's phrases one after another
          for (const lego of [legos[(i * 7) % legos.length]!, legos[(i * 13 + 5) % legos.length]!, legos[Math.floor(i / 10) % legos.length]!]) {
            const got = index.check(target, lego)
            same(got, reference.check(target, lego))
            same(index.check(target, lego, true), reference.check(target, lego, true))
            const passes = index.passes(target, lego)
            if (passes !== (got.uncovered.length === 0)) expect(passes).toBe(got.uncovered.length === 0)
            same(index.count(target, lego), reference.count(target, lego))
            compared++
            if (got.uncovered.length > 0) failing++
          }
        })
      }
      // both answers occur often
      expect(failing).toBeGreaterThan(200)
      expect(compared - failing).toBeGreaterThan(200)
    })
  }
})
