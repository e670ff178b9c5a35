import {describe, expect, it} from 'vitest'

import {readCanon} from '../../../src/core/canon/read.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {buildGateIndex, UnitIds, type GateIndex, type GateIndexSettings} from '../../../src/core/gate/index.js'
import {GATE_DEFINITIONS} from '../../../src/core/schemas/gate-definitions.js'
import {units} from '../../../src/core/text/normalize.js'
import {synthCourse} from '../../helpers/course.js'

/**
 * The unit-id paths of a GATE index (interned.ts: `passesIds`, `countIds`) answer as its string
 * paths do (`passes`, `count`: the trie of strings and the full cover, which stay the reference):
 * every definition, indexes sharing one UnitIds built in two orders and followed by an index of
 * another course (so a trie sees ids added after it, of units it does not hold), every phrase of generated Latin and Han courses (units no vocabulary holds included)
 * at three LEGOs each, with and without components and elision.
 */
const SETTINGS: Array<Omit<GateIndexSettings, 'definition'>> = [
  {windowSeeds: 10, recentNewLegos: 30, components: true},
  {windowSeeds: 1, recentNewLegos: 0, components: false},
  {windowSeeds: 3, recentNewLegos: 1, components: false, elision: {qtl: {articles: ["l'"], prepositions: ["d'"]}} as never},
]

describe('GATE by unit ids', () => {
  for (const script of ['latin', 'han'] as const) {
    it(`answers as the string paths do (${script})`, async () => {
      const synth = synthCourse({legos: 300, script, canon: {gateViolations: 40, fill: 0.9}})
      const course = await loadCourse(synth.dir)
      const canon = await readCanon(course.files.canon)
      // another course's words: ids added after every index of this one
      const other = await loadCourse(synthCourse({legos: 60, script: script === 'latin' ? 'han' : 'latin', seed: 7, canon: {fill: 1}}).dir)
      const otherCanon = await readCanon(other.files.canon)
      const phrases = [canon, otherCanon].flatMap((c) => [...c.baskets.values()].flatMap((b) => b.phrases.flatMap((p) => (p ? [units(p.target)] : []))))
      const legos = course.legos
      const tally = {passed: 0, failed: 0, multi: 0}
      // compared without an expect per answer (hundreds of thousands): the differences are listed
      const differ: string[] = []
      for (const settings of SETTINGS) {
        for (const order of [GATE_DEFINITIONS, [...GATE_DEFINITIONS].reverse()]) {
          const unitIds = new UnitIds()
          // the shape check's index (strict, no components) beside the four definitions, all on one UnitIds
          const indexes: GateIndex[] = [buildGateIndex(course, {...settings, definition: 'strict', components: false}, unitIds)]
          for (const definition of order) indexes.push(buildGateIndex(course, {...settings, definition}, unitIds))
          const before = unitIds.size
          buildGateIndex(other, {...settings, definition: 'seed'}, unitIds)
          expect(unitIds.size).toBeGreaterThan(before)
          phrases.forEach((target, i) => {
            const ids = unitIds.of(target)
            for (const lego of [legos[(i * 7) % legos.length]!, legos[(i * 13 + 5) % legos.length]!, legos[Math.floor(i / 10) % legos.length]!]) {
              for (const index of indexes) {
                const passes = index.passes(target, lego)
                if (index.passesIds(ids, target, lego) !== passes) differ.push(`${index.definition} passes "${target.join(' ')}" at ${lego.id}`)
                const count = index.count(target, lego)
                const byIds = index.countIds(ids, target, lego)
                if (byIds.entries !== count.entries || byIds.covered !== count.covered) differ.push(`${index.definition} count "${target.join(' ')}" at ${lego.id}: ${JSON.stringify(byIds)}, not ${JSON.stringify(count)}`)
                if (passes) tally.passed++
                else tally.failed++
                if (count.covered && count.entries < target.length) tally.multi++
              }
            }
          })
        }
      }
      expect(differ.slice(0, 10)).toEqual([])
      // both answers occur often, and covers by entries of more than one unit
      expect(tally.failed).toBeGreaterThan(500)
      expect(tally.passed).toBeGreaterThan(500)
      expect(tally.multi).toBeGreaterThan(500)
    })
  }

  it('answers by the strings when built without unit ids (validate)', async () => {
    const synth = synthCourse({legos: 120, script: 'latin', canon: {gateViolations: 20, fill: 0.9}})
    const course = await loadCourse(synth.dir)
    const canon = await readCanon(course.files.canon)
    const phrases = [...canon.baskets.values()].flatMap((b) => b.phrases.flatMap((p) => (p ? [units(p.target)] : [])))
    let failed = 0
    for (const definition of GATE_DEFINITIONS) {
      const index = buildGateIndex(course, {...SETTINGS[0]!, definition})
      phrases.forEach((target, i) => {
        const lego = course.legos[(i * 7) % course.legos.length]!
        // no ids to read: whatever is passed, the string paths answer
        const passes = index.passes(target, lego)
        expect(index.passesIds([], target, lego)).toBe(passes)
        expect(index.countIds([], target, lego)).toEqual(index.count(target, lego))
        if (!passes) failed++
      })
    }
    expect(failed).toBeGreaterThan(20)
  })

  it('refuses a unit added after phrase ids were read', () => {
    const ids = new UnitIds()
    expect(ids.add('agua')).toBe(0)
    expect(ids.add('agua')).toBe(0)
    expect([...ids.of(['agua', 'fría'])]).toEqual([0, -1])
    expect(() => ids.add('fría')).toThrow(/after phrases were read/)
  })
})
