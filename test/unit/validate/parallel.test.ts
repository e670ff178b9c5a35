import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {openCourse} from '../../../src/core/open/open-course.js'
import {gateSettingsSchema, validateSettingsSchema} from '../../../src/core/schemas/config.js'
import {GATE_DEFINITIONS} from '../../../src/core/schemas/gate-definitions.js'
import type {GateRates} from '../../../src/core/validate/gate-rates.js'
import {CHECKS, type CheckId, type ValidateOptions} from '../../../src/core/validate/model.js'
import {checkCanonParallel, startCheckWorker, type WorkerInit} from '../../../src/core/validate/parallel.js'
import {validate, validateWithGateRates} from '../../../src/core/validate/validate.js'
import {synthCourse} from '../../helpers/course.js'
import {dirty} from '../../helpers/dirty-canon.js'

/**
 * validate's basket checks shared with a worker thread (parallel.ts) give the single-thread result
 * byte for byte: the same findings in the same order, counts, verdict and GATE rates (per seed in
 * the same order), on a generated course with findings of every kind on both threads' baskets,
 * also when the worker fails half-way or read a course file that changed under it.
 */

const CHUNK = 40

/** canon read as validate reads it (`'phrases'`: ByteBaskets over shared bytes, which the worker makes itself) or parsed in full (every chunk posted) */
async function course(script: 'latin' | 'han', readOnly: 'parsed' | 'phrases' = 'phrases', shapedOnly = false) {
  const synth = synthCourse({legos: 2500, script, canon: {gateViolations: 60, swapped: 12, leakage: script === 'han' ? 12 : 0, empty: 4, overage: 4, orphans: 4, strays: 3, pollution: 2, staleMetadata: true}})
  dirty(synth.dir, shapedOnly)
  const opened = await openCourse({course: synth.dir, cwd: synth.dir, allowLoneSurrogates: true, readOnly: readOnly === 'phrases' ? 'phrases' : undefined})
  const options: ValidateOptions = {gate: gateSettingsSchema.parse({}), validate: validateSettingsSchema.parse({})}
  return {dir: synth.dir, ...opened, options}
}

const ratesJson = (gate: GateRates | null) => JSON.stringify(gate && {...gate, perSeed: [...gate.perSeed]})

function init(dir: string, canonFile: string, options: ValidateOptions, rates: WorkerInit['rates'], extra: Partial<WorkerInit> = {}): WorkerInit {
  return {dir, canonFile, orientation: null, gate: options.gate, validate: options.validate, rates, ...extra}
}

const PER_BASKET: CheckId[] = ['schema', 'blank', 'duplicate-phrase', 'containment', 'too-long', 'derived-fields', 'lego-text', 'phrase-count', 'encoding', 'gate', 'swapped', 'final-sentence', 'empty-basket', 'overage', 'orphan']

describe('validate on two threads', () => {
  for (const [script, read] of [['latin', 'phrases'], ['han', 'phrases'], ['latin', 'parsed']] as const) {
    it(`gives the single-thread result byte for byte (${script}, canon ${read === 'parsed' ? 'parsed in full: every chunk posted' : 'read from shared bytes'}), the report's GATE rates too`, async () => {
      const {dir, course: c, canon, options} = await course(script, read)
      const single = validateWithGateRates(c, canon, options, GATE_DEFINITIONS)
      const worker = startCheckWorker(init(dir, canon.file, options, [...GATE_DEFINITIONS]))
      const shared = await checkCanonParallel(c, canon, options, GATE_DEFINITIONS, worker, {chunkBaskets: CHUNK, waitForWorker: true})
      // both threads checked baskets, and the worker's had findings of every per-basket kind
      expect(shared.chunks.worker).toBeGreaterThan(2)
      expect(shared.chunks.main).toBeGreaterThan(2)
      expect(shared.chunks.redone).toBe(0)
      // from shared bytes, the worker made some chunks itself (the Latin course's spoiled baskets leave
      // some chunks all in wicker's shape), and a chunk with a basket not in that shape was posted
      const chunkCount = shared.chunks.worker + shared.chunks.main
      if (read === 'phrases' && script === 'latin') expect(shared.chunks.made).toBeGreaterThan(0)
      if (read === 'parsed') expect(shared.chunks.made).toBe(0)
      expect(shared.chunks.made).toBeLessThan(chunkCount)
      const theirs = new Set([...canon.baskets.keys()].slice(0, shared.chunks.worker * CHUNK))
      const kinds = new Set(single.result.findings.filter((f) => f.basket !== null && theirs.has(f.basket)).map((f) => f.check))
      const expected = PER_BASKET.filter((k) => k !== 'overage' && k !== 'orphan' && k !== 'empty-basket')
      expect([...kinds].sort()).toEqual(expect.arrayContaining(expected))
      if (script === 'han') expect(kinds).toContain('leakage')
      // every check fired somewhere
      const all = new Set(single.result.findings.map((f) => f.check))
      const missing = (Object.keys(CHECKS) as CheckId[]).filter((k) => !all.has(k) && k !== 'lego-pairs' && k !== 'coverage' && (script === 'han' || k !== 'leakage'))
      expect(missing).toEqual([])
      expect(JSON.stringify(shared.result)).toBe(JSON.stringify(single.result))
      expect(ratesJson(shared.gate)).toBe(ratesJson(single.gate))
    })
  }

  it('makes every chunk in the worker from the shared bytes when every basket is in wicker\'s shape: the same result', async () => {
    const {dir, course: c, canon, options} = await course('latin', 'phrases', true)
    const single = validateWithGateRates(c, canon, options, GATE_DEFINITIONS)
    const shared = await checkCanonParallel(c, canon, options, GATE_DEFINITIONS, startCheckWorker(init(dir, canon.file, options, [...GATE_DEFINITIONS])), {chunkBaskets: CHUNK, waitForWorker: true})
    expect(shared.chunks.made).toBe(shared.chunks.worker + shared.chunks.main)
    expect(shared.chunks.worker).toBeGreaterThan(2)
    expect(shared.chunks.redone).toBe(0)
    expect(single.result.findings.length).toBeGreaterThan(100)
    expect(JSON.stringify(shared.result)).toBe(JSON.stringify(single.result))
    expect(ratesJson(shared.gate)).toBe(ratesJson(single.gate))
  })

  it('gives validate\'s result without the report\'s rates', async () => {
    const {dir, course: c, canon, options} = await course('latin')
    const single = validate(c, canon, options)
    const shared = await checkCanonParallel(c, canon, options, null, startCheckWorker(init(dir, canon.file, options, null)), {chunkBaskets: CHUNK, waitForWorker: true})
    expect(shared.chunks.worker).toBeGreaterThan(0)
    expect(shared.gate).toBeNull()
    expect(JSON.stringify(shared.result)).toBe(JSON.stringify(single))
  })

  it('checks the worker\'s chunks itself when the worker fails half-way: the same result', async () => {
    const {dir, course: c, canon, options} = await course('latin')
    const single = validateWithGateRates(c, canon, options, GATE_DEFINITIONS)
    const worker = startCheckWorker(init(dir, canon.file, options, [...GATE_DEFINITIONS], {failAt: 2}))
    const shared = await checkCanonParallel(c, canon, options, GATE_DEFINITIONS, worker, {chunkBaskets: CHUNK, waitForWorker: true})
    expect(shared.chunks.redone).toBeGreaterThan(2)
    expect(shared.chunks.worker).toBe(0)
    expect(JSON.stringify(shared.result)).toBe(JSON.stringify(single.result))
    expect(ratesJson(shared.gate)).toBe(ratesJson(single.gate))
  })

  it('does not trust a worker whose course file changed after this thread read it', async () => {
    const {dir, course: c, canon, options} = await course('latin')
    const single = validate(c, canon, options)
    const worker = startCheckWorker(init(dir, canon.file, options, null))
    // the same bytes written again: the file is not the one both threads were to read
    const file = join(dir, 'lego_pairs.json')
    writeFileSync(file, readFileSync(file))
    const shared = await checkCanonParallel(c, canon, options, null, worker, {chunkBaskets: CHUNK, waitForWorker: true})
    expect(shared.chunks.redone).toBeGreaterThan(0)
    expect(JSON.stringify(shared.result)).toBe(JSON.stringify(single))
  })

  it('leaves everything to this thread when the worker has other settings', async () => {
    const {dir, course: c, canon, options} = await course('latin')
    const single = validate(c, canon, options)
    const worker = startCheckWorker(init(dir, canon.file, {...options, validate: {...options.validate, maxWords: 3}}, null))
    const shared = await checkCanonParallel(c, canon, options, null, worker, {chunkBaskets: CHUNK, waitForWorker: true})
    expect(shared.chunks.worker).toBe(0)
    expect(JSON.stringify(shared.result)).toBe(JSON.stringify(single))
  })
})
