import {describe, expect, it} from 'vitest'

import {ALL_FORMATS, renderFormat} from '../../../bench/synth/staging.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {extractFor} from '../../../src/core/extract/run.js'
import {snapshotTree, writeTree} from '../../helpers/fs.js'
import {basketsFor, renderAll, stage, stagingCourse} from '../../helpers/staging.js'

describe('every staging format extracts to the expected baskets', () => {
  for (const format of ALL_FORMATS) {
    it(format, async () => {
      const synth = stagingCourse()
      const course = await loadCourse(synth.dir)
      const baskets = basketsFor(course, 3)
      stage(synth.dir, renderFormat(format, baskets, 'agent', {known: 'english', target: 'spanish'}))
      const x = await extractFor(course, {}, synth.dir)
      // F15 carries no ids: each one found from the LEGO text is reported, and nothing else is
      expect(x.problems).toEqual(format === 'F15' ? baskets.map((b) => expect.objectContaining({kind: 'inferred-id', message: expect.stringContaining(b.lego.id)})) : [])
      expect(x.candidates.map((c) => [c.id, c.phrases])).toEqual(baskets.map((b) => [b.lego.id, b.phrases]))
      expect(x.formats[format]).toBeGreaterThanOrEqual(1)
      expect(x.candidates.every((c) => c.invalid === null && !c.repaired)).toBe(true)
    })
  }
})

describe('a mixed folder', () => {
  it('reads every format, skips non-basket files and reports broken ones, with exact counts', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    const {files, expected} = renderAll(course, ALL_FORMATS)
    stage(synth.dir, files)
    writeTree(synth.dir, {
      'phase5_baskets_staging/swarm_upload.json': {browserId: 'b1', agentId: 'a', seedRange: [1, 5], seeds: [{seed_id: 'S0001', seed_pair: {known: 'x', target: 'y'}, legos: []}]},
      'phase5_baskets_staging/report.json': {summary: 'done', total: 3},
      'phase5_baskets_staging/notes.md': 'The agent finished. No JSON here.\n',
      'phase5_baskets_staging/truncated.json': '{"S0001L01": {"practice_phrases": [["a", "b"',
      'phase5_baskets_staging/nested/agent_9.json.tmp': '{}',
      'phase5_baskets_staging/.applied/old.json': '{}',
    })
    const before = snapshotTree(synth.dir)
    const x = await extractFor(course, {}, synth.dir)
    const inferred = basketsFor(course, ALL_FORMATS.indexOf('F15')).length
    expect(x.candidates).toHaveLength(expected.size)
    for (const c of x.candidates) expect(c.phrases).toEqual(expected.get(c.id)!.phrases)
    expect(x.counts).toEqual({total: files.length + 5, used: files.length, skipped: 4, bad: 1})
    expect(Object.keys(x.formats).sort()).toEqual([...ALL_FORMATS].sort())
    expect(x.problems.map((p) => p.kind).sort()).toEqual([...Array(inferred).fill('inferred-id'), 'invalid-json', 'not-baskets', 'not-baskets', 'not-baskets', 'temp-file'])
    expect(snapshotTree(synth.dir)).toEqual(before)
  })
})

describe('phrase shapes and sides', () => {
  it('reads [target, known] in e/d and compact forms and [known, target] elsewhere', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    const [b] = basketsFor(course, 2)
    stage(synth.dir, [
      {name: 'ed.json', content: JSON.stringify({[b!.lego.id]: {lego: [b!.lego.target, b!.lego.known], e: [[b!.phrases[0]!.target, b!.phrases[0]!.known]]}})},
    ])
    const x = await extractFor(course, {}, synth.dir)
    expect(x.candidates[0]!.phrases).toEqual([b!.phrases[0]])
  })

  it('fixes swapped labelled pairs and reports each fix', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    const [b] = basketsFor(course, 2)
    const swapped = b!.phrases.map((p, i) => (i === 1 ? {known: p.target, target: p.known} : p))
    stage(synth.dir, [{name: 'swapped.json', content: JSON.stringify({[b!.lego.id]: {practice_phrases: swapped}})}])
    const x = await extractFor(course, {}, synth.dir)
    expect(x.candidates[0]!.phrases).toEqual(b!.phrases)
    expect(x.problems).toEqual([expect.objectContaining({kind: 'swapped-fixed', basket: b!.lego.id})])
  })

  it('uses lego_pairs text and reports a different lego in the file', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    const [b] = basketsFor(course, 2)
    stage(synth.dir, [{name: 'l.json', content: JSON.stringify({basket_id: b!.lego.id, lego: {known: 'wrong', target: 'wrong'}, practice_phrases: b!.phrases})}])
    const x = await extractFor(course, {}, synth.dir)
    expect(x.problems).toEqual([expect.objectContaining({kind: 'lego-mismatch', basket: b!.lego.id})])
    expect(x.candidates).toHaveLength(1)
  })
})

describe('duplicates across files', () => {
  it('collapses the same content in several files and keeps every source, whatever the shape', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    const baskets = basketsFor(course, 4)
    stage(synth.dir, [...renderFormat('F1', baskets, 'a'), ...renderFormat('F12', baskets, 'b'), ...renderFormat('F8', baskets, 'c')])
    const x = await extractFor(course, {}, synth.dir)
    expect(x.candidates).toHaveLength(baskets.length)
    expect(x.duplicates).toBe(baskets.length * 2)
    expect(x.candidates[0]!.sources).toHaveLength(3)
    expect(x.stagingConflicts).toEqual([])
  })

  it('keeps different content apart as a staging conflict', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    stage(synth.dir, [...renderFormat('F1', basketsFor(course, 4), 'a'), ...renderFormat('F1', basketsFor(course, 4, ' x'), 'b')])
    const x = await extractFor(course, {}, synth.dir)
    expect(x.candidates).toEqual([])
    expect(x.stagingConflicts.length).toBe(basketsFor(course, 4).length)
    expect(x.stagingConflicts[0]!.variants).toHaveLength(2)
  })

  it('lets a later attempt of the same launch packet supersede an earlier one', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    const first = renderFormat('F1', basketsFor(course, 4), 'x')[0]!.content
    const second = renderFormat('F1', basketsFor(course, 4, ' again'), 'x')[0]!.content
    stage(synth.dir, [
      {name: 'run1__p7__1.json', content: first},
      {name: 'run1__p7__2.json', content: second},
    ])
    const x = await extractFor(course, {}, synth.dir)
    expect(x.stagingConflicts).toEqual([])
    expect(x.superseded).toBe(basketsFor(course, 4).length)
    expect(x.candidates[0]!.phrases[0]!.known).toMatch(/ again$/)
  })
})
