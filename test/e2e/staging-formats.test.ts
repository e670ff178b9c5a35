import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {snapshotTree, tempDir, writeTree} from '../helpers/fs.js'

/** A small hand-made course (invented words): four seeds, S0004L01 recycled. */
const lego = (id: string, known: string, target: string, isNew = true) => ({id, type: 'A', new: isNew, lego: {known, target}})
const LEGO_PAIRS = {
  course: 'spa_for_eng',
  seeds: [
    {seed_id: 'S0001', seed_pair: {known: 'I vask the trell', target: 'yo nolo el trelo'}, legos: [lego('S0001L01', 'I vask', 'yo nolo'), lego('S0001L02', 'the trell', 'el trelo')]},
    {seed_id: 'S0002', seed_pair: {known: 'we zum quickly', target: 'fe ril brimo'}, legos: [lego('S0002L01', 'we zum', 'fe ril'), lego('S0002L02', 'quickly', 'brimo')]},
    {seed_id: 'S0003', seed_pair: {known: 'om bra to the dask', target: 'kelo al daso'}, legos: [lego('S0003L01', 'om bra', 'kelo'), lego('S0003L02', 'to the dask', 'al daso')]},
    {seed_id: 'S0004', seed_pair: {known: 'I vask ta mip lorn', target: 'yo nolo sa mipo lorno'}, legos: [lego('S0004L01', 'I vask', 'yo nolo', false), lego('S0004L02', 'ta mip', 'sa mipo'), lego('S0004L03', 'lorn', 'lorno')]},
  ],
}
const pair = (known: string, target: string) => [known, target, null, 1]
const slot = (english: string, spanish: string) => ({phrase: {english, spanish}})

const STAGING = {
  // F15: numeric keys, no ids; the seed is in the name, each LEGO found by its text
  'seed_S0002_baskets.json': {'0': {lego: {known: 'we zum', target: 'fe ril'}, practice_phrases: [pair('we zum', 'fe ril'), pair('we zum quickly', 'fe ril brimo')]}, '1': {lego: 'brimo', practice_phrases: [pair('quickly', 'brimo')]}},
  // the same shape for a seed lego_pairs does not have: refused by id
  'seed_S0009_baskets.json': {'0': {lego: 'brimo', practice_phrases: [pair('quickly', 'brimo')]}},
  // F4 holding an F13 slot scaffold whose optional slots were left empty
  'scaffold_S0003.json': {
    seed_id: 'S0003',
    legos: {S0003L01: {lego: {known: 'om bra', target: 'kelo'}, practice_phrases: {short_1_to_2_legos: {slots: [slot('om bra', 'kelo'), slot('om bra to the dask', 'kelo al daso')]}, bonus_optional: {slots: [slot('', ''), slot('', '')]}}}},
  },
  // mixed: an F3 array and top-level LEGO-id baskets in one file, with metadata arrays beside them
  'mixed_S0001.json': {
    seed_id: 'S0001',
    baskets: [{lego_id: 'S0001L01', practice_phrases: [pair('I vask', 'yo nolo')]}],
    S0001L02: {practice_phrases: [pair('the trell', 'el trelo'), pair('I vask the trell', 'yo nolo el trelo')]},
    cumulative_patterns: ['P01'],
    patterns_introduced: ['P01', 'P02'],
  },
  // F16: phrase rows tagged with their LEGO
  'rows_S0004.json': {
    seed_id: 'S0004',
    baskets: [
      {lego_id: 'S0004L02', known: 'ta mip', target: 'sa mipo', lego_count: 1},
      {lego_id: 'S0004L03', known: 'lorn', target: 'lorno', lego_count: 1},
      {lego_id: 'S0004L02', known: 'I vask ta mip', target: 'yo nolo sa mipo', lego_count: 2},
    ],
  },
  // F17: a LEGO-array seed file, phrases keyed by the course's language codes
  'legos_S0003.json': {seed_id: 'S0003', seed_pair: {known: 'om bra to the dask', target: 'kelo al daso'}, legos: [{lego_id: 'S0003L01', known: 'om bra', target: 'kelo', new: true}, {lego_id: 'S0003L02', known: 'to the dask', target: 'al daso', new: true, baskets: [{eng: 'to the dask', spa: 'al daso'}]}]},
  'report.json': {summary: 'done', seeds: 4},
  // baskets inside a wrapper no container knows: named, not passed over as "not a basket file"
  'wrapped.json': {results: {S0004L03: {practice_phrases: [pair('lorn', 'lorno')]}}},
}

describe('extract reads a staging folder of every new shape with the built binary', () => {
  it('gives the exact baskets, formats and problems, and leaves staging as it was', async () => {
    const dir = writeTree(join(tempDir(), 'spa_for_eng'), {'lego_pairs.json': LEGO_PAIRS, ...Object.fromEntries(Object.entries(STAGING).map(([name, v]) => [`phase5_baskets_staging/${name}`, v]))})
    const before = snapshotTree(join(dir, 'phase5_baskets_staging'))
    const x = await wickerIn(['extract', dir, '--json'])
    expect(x.stderr).not.toMatch(STACK_TRACE)
    expect(x.code).toBe(0)
    expect(x.json.result).toMatchObject({files: {total: 8, used: 5, skipped: 3, bad: 0}, candidates: 8, duplicates: 0, stagingConflicts: 0, invalid: 0})
    // each file once, by the one format it was read as: the refused F15 file too, the scaffold as F13 (not its F4 container)
    expect(x.json.result.formats).toEqual({F15: 2, F13: 1, mixed: 1, F16: 1, F17: 1})
    const problems = (x.json.result.problems as Array<{file: string; kind: string; message: string}>).map((p) => [p.file.replace(/^.*\//, ''), p.kind, p.message])
    expect(problems.sort()).toEqual(
      [
        ['report.json', 'not-baskets', 'no basket container recognised (a swarm upload, a report…): not a basket file'],
        ['scaffold_S0003.json', 'empty-slot', 'S0003L01: 2 empty optional slot(s) dropped (bonus_optional.slots[0], bonus_optional.slots[1]); the basket is kept'],
        ['seed_S0002_baskets.json', 'inferred-id', '$.0: no LEGO id; S0002L01 inferred, the one LEGO of S0002 with the lego text "fe ril"'],
        ['seed_S0002_baskets.json', 'inferred-id', '$.1: no LEGO id; S0002L02 inferred, the one LEGO of S0002 with the lego text "brimo"'],
        ['seed_S0009_baskets.json', 'bad-id', "$.0: no LEGO id, and the file's seed S0009 is not in lego_pairs; refused"],
        ['wrapped.json', 'unread', '$.results: holds 1 basket-shaped value(s) in a container wicker does not know; not used'],
      ].sort(),
    )

    const extraction = JSON.parse(readFileSync(join(dir, '.wicker/extract.json'), 'utf8'))
    const byFile = Object.fromEntries(extraction.files.map((f: {file: string; format: string | null; baskets: number; parts?: string[]}) => [f.file.replace(/^.*\//, ''), [f.format, f.baskets, f.parts ?? null]]))
    expect(byFile).toEqual({
      'seed_S0002_baskets.json': ['F15', 2, null],
      'seed_S0009_baskets.json': ['F15', 0, null],
      'scaffold_S0003.json': ['F13', 1, null],
      'mixed_S0001.json': ['mixed', 2, ['F3', 'F1']],
      'rows_S0004.json': ['F16', 2, null],
      'legos_S0003.json': ['F17', 1, null],
      'report.json': [null, 0, null],
      'wrapped.json': [null, 0, null],
    })
    const phrases = Object.fromEntries(extraction.candidates.map((c: {id: string; phrases: unknown[]}) => [c.id, c.phrases.length]))
    const sourceOf = (id: string) => extraction.candidates.find((c: {id: string}) => c.id === id).sources.map((s: {format: string; path: string}) => [s.format, s.path])
    expect([sourceOf('S0001L01'), sourceOf('S0001L02'), sourceOf('S0004L02')]).toEqual([[['F3', '$.baskets[0]']], [['F1', '$.S0001L02']], [['F16', '$.baskets[0,2]']]])
    expect(phrases).toEqual({S0001L01: 1, S0001L02: 2, S0002L01: 2, S0002L02: 1, S0003L01: 2, S0003L02: 1, S0004L02: 2, S0004L03: 1})
    expect(snapshotTree(join(dir, 'phase5_baskets_staging'))).toEqual(before)
  })

  it('a file whose ids were inferred, or whose empty optional slots were dropped, is consumed by the merge like any other', async () => {
    const files = ['seed_S0002_baskets.json', 'scaffold_S0003.json'] as const
    const dir = writeTree(join(tempDir(), 'spa_for_eng'), {'lego_pairs.json': LEGO_PAIRS, ...Object.fromEntries(files.map((name) => [`phase5_baskets_staging/${name}`, STAGING[name]]))})
    const merged = await wickerIn(['merge', dir, '--yes', '--json'])
    expect(merged.code, merged.stderr).toBe(0)
    expect(merged.json.result.added.sort()).toEqual(['S0002L01', 'S0002L02', 'S0003L01'])
    // notes, not problems: nothing of these files was left unread, so they go to .applied/ with the rest
    expect(readdirSync(join(dir, 'phase5_baskets_staging')).filter((n) => !n.startsWith('.'))).toEqual([])
    expect((await wickerIn(['preview', dir, '--json'])).json.result.counts.new).toBe(0)
  })
})
