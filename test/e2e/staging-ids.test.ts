import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {wickerIn} from '../helpers/cli-in.js'
import {tempDir, writeTree} from '../helpers/fs.js'

/**
 * A course past seed S9999 (a course of ~10^6 LEGOs numbers its seeds S10000…): its baskets must go
 * through detect, extract, preview and merge like any other, in every container that names ids.
 */
function bigNumberedCourse(): string {
  const lego = (id: string, known: string, target: string) => ({id, type: 'A', new: true, lego: {known, target}})
  const seeds = [
    {seed_id: 'S9999', seed_pair: {known: 'blorf wint', target: 'zato mirel'}, legos: [lego('S9999L01', 'blorf', 'zato'), lego('S9999L02', 'wint', 'mirel')]},
    {seed_id: 'S10000', seed_pair: {known: 'quib sarn', target: 'vexo lunta'}, legos: [lego('S10000L01', 'quib', 'vexo'), lego('S10000L02', 'sarn', 'lunta')]},
    {seed_id: 'S123456', seed_pair: {known: 'drell', target: 'pomir'}, legos: [lego('S123456L100', 'drell', 'pomir')]},
  ]
  const dir = join(tempDir(), 'qzz_for_qkn')
  const phrases = (known: string, target: string) => ({practice_phrases: [{known, target}, {known: `${known} ${known}`, target: `${target} ${target}`}]})
  return writeTree(dir, {
    'lego_pairs.json': {course: 'qzz_for_qkn', seeds},
    'lego_baskets.json': {version: '1.0.0', course: 'qzz_for_qkn', baskets: {'S9999L01': {...phrases('blorf', 'zato'), lego: {known: 'blorf', target: 'zato'}, is_final_lego: false, phrase_count: 2}}},
    // F1 (ids as keys), F9 (a bare phrase list, the id in the file name), F7 (short keys, the seed in the name)
    'phase5_baskets_staging/agent1.json': {'S9999L02': phrases('wint', 'mirel'), 'S10000L01': phrases('quib', 'vexo')},
    'phase5_baskets_staging/agent2_S10000L02.json': [['sarn', 'lunta'], ['sarn sarn', 'lunta lunta']],
    'phase5_baskets_staging/agent3_S123456.json': {L100: phrases('drell', 'pomir')},
  })
}

describe('LEGO ids over S9999', () => {
  it('detect, extract, preview and merge carry S10000L01 and S123456L100 into canon', async () => {
    const dir = bigNumberedCourse()
    const d = await wickerIn(['detect', dir, '--json'])
    expect(d.code).toBe(0)
    expect(d.json.result.missing.map((m: {id: string}) => m.id)).toEqual(['S9999L02', 'S10000L01', 'S10000L02', 'S123456L100'])

    const x = await wickerIn(['extract', dir, '--json'])
    expect(x.code).toBe(0)
    expect(x.json.result).toMatchObject({files: {total: 3, used: 3, skipped: 0, bad: 0}, candidates: 4, problems: []})

    const p = await wickerIn(['preview', dir, '--json'])
    expect(p.code).toBe(0)
    expect(p.json.result.counts).toMatchObject({new: 4, invalid: 0, orphan: 0})

    const m = await wickerIn(['merge', dir, '--yes', '--json'])
    expect(m.code).toBe(0)
    expect(m.json.result.added.sort()).toEqual(['S10000L01', 'S10000L02', 'S123456L100', 'S9999L02'])
    const canon = JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8'))
    expect(Object.keys(canon.baskets)).toEqual(['S9999L01', 'S9999L02', 'S10000L01', 'S10000L02', 'S123456L100'])
    expect(canon.baskets.S10000L02.practice_phrases[1]).toEqual({known: 'sarn sarn', target: 'lunta lunta'})
    expect((await wickerIn(['detect', dir, '--json'])).json.result.counts.missing).toBe(0)
  })

  it('still refuses a second spelling of an id (extra zero-padding) instead of merging it', async () => {
    const dir = bigNumberedCourse()
    writeTree(dir, {'phase5_baskets_staging/agent1.json': {'S09999L02': {practice_phrases: [{known: 'wint', target: 'mirel'}]}, 'S10000L001': {practice_phrases: [{known: 'quib', target: 'vexo'}]}}})
    const x = await wickerIn(['extract', dir, '--json'])
    expect(x.code).toBe(0)
    const bad = x.json.result.problems.filter((p: {kind: string}) => p.kind === 'bad-id').map((p: {message: string}) => p.message)
    expect(bad).toEqual([expect.stringContaining('"S09999L02" is not a LEGO id'), expect.stringContaining('"S10000L001" is not a LEGO id')])
  })
})
