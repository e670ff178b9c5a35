import {describe, expect, it} from 'vitest'

import {ByteBasket} from '../../../src/core/canon/byte-basket.js'
import {openCourse} from '../../../src/core/open/open-course.js'
import {gateSettingsSchema, validateSettingsSchema} from '../../../src/core/schemas/config.js'
import {GATE_DEFINITIONS} from '../../../src/core/schemas/gate-definitions.js'
import type {GateRates} from '../../../src/core/validate/gate-rates.js'
import {CHECKS, type CheckId, type ValidateOptions} from '../../../src/core/validate/model.js'
import {validateWithGateRates} from '../../../src/core/validate/validate.js'
import {synthCourse} from '../../helpers/course.js'
import {dirty} from '../../helpers/dirty-canon.js'

/**
 * validate (and the report's GATE rates) give one result whichever way canon is read: parsed in
 * full (the oracle), or from its bytes with the scan's spans (ByteBaskets, whose phrases are views
 * that decode a known side only when a check reads it, the others parsed on their own):
 * the same findings in the same order, messages included, on courses with a finding of every kind.
 */

const options: ValidateOptions = {gate: gateSettingsSchema.parse({}), validate: validateSettingsSchema.parse({})}
const ratesJson = (gate: GateRates) => JSON.stringify({...gate, perSeed: [...gate.perSeed]})

describe('validate by every read of canon', () => {
  for (const script of ['latin', 'han'] as const) {
    it(`gives the full read's result from bytes (${script})`, async () => {
      const synth = synthCourse({legos: 1500, script, canon: {gateViolations: 40, swapped: 12, leakage: script === 'han' ? 12 : 0, empty: 4, overage: 4, orphans: 4, strays: 3, pollution: 2, staleMetadata: true}})
      dirty(synth.dir)
      const open = (readOnly?: 'phrases') => openCourse({course: synth.dir, cwd: synth.dir, allowLoneSurrogates: true, readOnly})
      const read = async (readOnly?: 'phrases') => (await open(readOnly)).canon
      const [full, bytes] = [await read(), await read('phrases')]
      const kinds = (canon: typeof full) => new Set([...canon.baskets.values()].map((b) => (b instanceof ByteBasket ? 'byte' : 'parsed')))
      expect([...kinds(full)]).toEqual(['parsed'])
      expect([...kinds(bytes)].sort()).toEqual(['byte', 'parsed'])
      const {course} = await open()
      const oracle = validateWithGateRates(course, full, options, GATE_DEFINITIONS)
      const found = new Set(oracle.result.findings.map((f) => f.check))
      const missing = (Object.keys(CHECKS) as CheckId[]).filter((k) => !found.has(k) && k !== 'lego-pairs' && k !== 'coverage' && (script === 'han' || k !== 'leakage'))
      expect(missing).toEqual([])
      const got = validateWithGateRates(course, bytes, options, GATE_DEFINITIONS)
      expect(JSON.stringify(got.result)).toBe(JSON.stringify(oracle.result))
      expect(ratesJson(got.gate)).toBe(ratesJson(oracle.gate))
    })
  }
})
