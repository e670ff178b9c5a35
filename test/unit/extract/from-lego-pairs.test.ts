import {describe, expect, it} from 'vitest'

import type {Extraction} from '../../../src/core/extract/extract.js'
import {phrasesHash} from '../../../src/core/extract/candidate.js'
import {legoPairsBaskets, withLegoPairsBaskets} from '../../../src/core/extract/from-lego-pairs.js'
import {courseFrom} from '../../helpers/course.js'

const lego = (id: string, known: string, target: string) => ({id, type: 'A', new: true, lego: {known, target}})
const file = {name: 'lego_pairs.json', sha256: 'f'.repeat(64)}

async function brokenCourse() {
  const {course} = await courseFrom('qtl_for_qkn', {
    'lego_pairs.json': {seeds: [
      {seed_id: 'S0001', seed_pair: {known: 'mip dax', target: 'vé qó'}, legos: [lego('S0001L01', 'mip', 'vé'), lego('S0001L02', 'dax', 'qó')]},
      {seed_id: 'S0002', legos: [
        {lego_id: 'S0002L01', lego: {known: 'zor', target: 'wib'}, practice_phrases: [{known: 'zor', target: 'wib'}, {known: 'zor mip', target: 'wib vé'}]},
        {id: 'S0002L02', lego: {known: 'kel', target: 'tum'}, practice_phrases: [['kel', 'tum', null, 1]]},
        {id: 'S0002L03', lego: {known: 'fen', target: 'rog'}},
      ]},
    ]},
  })
  return course
}

const emptyExtraction = (over: Partial<Extraction> = {}): Extraction => ({course: 'qtl_for_qkn', dirs: [], fingerprint: '', options: {repair: false, maxRepairSize: 1, maxFileSize: 1, maxDepth: 64}, files: [], counts: {total: 0, used: 0, skipped: 0, bad: 0}, formats: {}, candidates: [], duplicates: 0, stagingConflicts: [], superseded: 0, problems: [], ...over})

describe('extract --from-lego-pairs', () => {
  it('turns basket payloads in lego_pairs.json into candidates flagged with their source', async () => {
    const found = legoPairsBaskets(await brokenCourse(), file)
    expect(found.candidates.map((c) => [c.id, c.phrases, c.sources])).toEqual([
      ['S0002L01', [{known: 'zor', target: 'wib'}, {known: 'zor mip', target: 'wib vé'}], [{file: 'lego_pairs.json', sha256: file.sha256, format: 'lego-pairs', path: '$.seeds[1].legos[0]'}]],
      ['S0002L02', [{known: 'kel', target: 'tum'}], [{file: 'lego_pairs.json', sha256: file.sha256, format: 'lego-pairs', path: '$.seeds[1].legos[1]'}]],
    ])
    expect(found.candidates.every((c) => c.invalid === null)).toBe(true)
    // the payload with no phrases is reported, not silently dropped
    expect(found.problems).toEqual([expect.objectContaining({kind: 'invalid-basket', basket: 'S0002L03'})])
    expect(found.problems[0]!.message).toContain('$.seeds[1].legos[2]')
  })

  it('adds them where staging has no basket, adds a source where staging has the same one, and yields to another version', async () => {
    const found = legoPairsBaskets(await brokenCourse(), file)
    const same = [{known: 'zor', target: 'wib'}, {known: 'zor mip', target: 'wib vé'}]
    const other = [{known: 'kel mip', target: 'tum vé'}]
    const staged = (id: string, phrases: typeof same) => ({id, phrases, hash: phrasesHash(phrases), sources: [{file: 'phase5_baskets_staging/a.json', sha256: 'a'.repeat(64), format: 'F1', path: id}], repaired: false, base: null, invalid: null})
    const merged = withLegoPairsBaskets(emptyExtraction({candidates: [staged('S0002L01', same), staged('S0002L02', other)]}), found)
    expect(merged.candidates.map((c) => [c.id, c.sources.map((s) => s.format)])).toEqual([['S0002L01', ['F1', 'lego-pairs']], ['S0002L02', ['F1']]])
    expect(merged.duplicates).toBe(1)
    expect(merged.problems.filter((p) => p.kind === 'superseded')).toEqual([expect.objectContaining({basket: 'S0002L02', file: 'lego_pairs.json'})])

    const alone = withLegoPairsBaskets(emptyExtraction(), found)
    expect(alone.candidates.map((c) => c.id)).toEqual(['S0002L01', 'S0002L02'])
  })
})
