import {describe, expect, it} from 'vitest'

import {readCanonValue} from '../../../src/core/canon/read.js'
import type {Course, Lego, Seed, TextPair} from '../../../src/core/course/model.js'
import {phrasesHash, type Candidate} from '../../../src/core/extract/candidate.js'
import {formatCounts} from '../../../src/core/extract/counts.js'
import type {Extraction, FileReport} from '../../../src/core/extract/extract.js'
import {applyPlan} from '../../../src/core/merge/apply.js'
import {holds, legoRelation} from '../../../src/core/preview/lego-relation.js'
import {makePlan, type PlanOptions} from '../../../src/core/preview/plan.js'
import {COUNT_KEYS} from '../../../src/core/schemas/plan.js'

/**
 * The plan's classes on invented data, all in memory: a course, a canon and an extraction built by
 * hand, no disk. Known side "qkn", target side "qtl", every word made up.
 */

const SHA = 'c'.repeat(64)
const STAGING = 'phase5_baskets_staging'

/** One seed of LEGOs, all new; the last is final. */
function courseOf(legos: Array<[id: string, known: string, target: string]>): Course {
  const seed: Seed = {id: 'S0001', index: 0, known: 'blen vosh trum kelo', target: 'vosh blen kelo trum', legos: []}
  seed.legos = legos.map(([id, known, target], i) => ({id, seedId: 'S0001', position: i, indexInSeed: i, type: 'A', isNew: true, known, target, components: [], isFinal: i === legos.length - 1}) satisfies Lego)
  return {
    code: 'qtl_for_qkn',
    dir: '/nowhere/qtl_for_qkn',
    knownLanguage: 'qkn',
    targetLanguage: 'qtl',
    files: {legoPairs: 'lego_pairs.json', seedPairs: null, canon: 'lego_baskets.json'},
    shape: 'LP-A',
    seeds: [seed],
    legos: seed.legos,
    legoById: new Map(seed.legos.map((l) => [l.id, l])),
    orientation: {arrays: false, order: null, method: 'labelled', evidence: 'labelled', votes: null, tried: []},
    legoPairsBaskets: [],
    findings: [],
  }
}

const COURSE = courseOf([
  ['S0001L01', 'blen', 'vosh'],
  ['S0001L02', 'trum', 'kelo'],
  ['S0001L03', 'dari', 'pim'],
  ['S0001L04', 'zabu', 'fenu'],
])

const pairs = (...list: Array<[string, string]>): TextPair[] => list.map(([known, target]) => ({known, target}))

function basket(phrases: TextPair[], lego: TextPair = {known: 'x', target: 'y'}) {
  return {lego, practice_phrases: phrases, is_final_lego: false, phrase_count: phrases.length}
}

function candidate(id: string, phrases: TextPair[], file: string, lego: TextPair | null = null): Candidate {
  return {id, phrases, hash: phrasesHash(phrases), sources: [{file, sha256: SHA, format: 'F1', path: `$.${id}`, lego}], repaired: false, base: null, invalid: null}
}

function extraction(candidates: Candidate[], more: Partial<Extraction> = {}): Extraction {
  const names = [...new Set(candidates.flatMap((c) => c.sources.map((s) => s.file)))]
  const files: FileReport[] = names.map((file) => ({file, stagingDir: STAGING, sha256: SHA, size: 10, status: 'used', format: 'F1', baskets: 1, reason: null}))
  return {
    course: COURSE.code,
    dirs: [],
    fingerprint: '',
    options: {repair: false, maxRepairSize: 1024, maxFileSize: 1024, maxDepth: 64},
    files,
    counts: {total: files.length, used: files.length, skipped: 0, bad: 0},
    formats: formatCounts(files),
    candidates,
    duplicates: 0,
    stagingConflicts: [],
    superseded: 0,
    problems: [],
    ...more,
  }
}

const POLICY: PlanOptions = {onConflict: 'fail', resolutions: {}, adoptStrays: false, acceptRepaired: false, seedSentence: false}
const canonOf = (doc: Record<string, unknown>) => readCanonValue(doc as never, 'lego_baskets.json', SHA)
const plan = (canonDoc: Record<string, unknown>, candidates: Candidate[], options: Partial<PlanOptions> = {}, more: Partial<Extraction> = {}) =>
  makePlan({course: COURSE, canon: canonOf(canonDoc), extraction: extraction(candidates, more), lineage: null, options: {...POLICY, ...options}, now: new Date(0)})
const item = (p: ReturnType<typeof plan>, id: string) => p.items.filter((i) => i.id === id)

const STAGED = pairs(['blen gosa', 'vosh rulo'], ['mi blen', 'ta vosh'])

describe('fill: an empty canon basket is not a conflict', () => {
  for (const [what, empty] of [
    ['no phrase', basket([])],
    ['only phrases with an empty side', basket(pairs(['', ''], ['blen', '']))],
  ] as const) {
    it(`a staged basket for an id whose canon basket has ${what} is applied by default`, () => {
      const p = plan({baskets: {S0001L01: empty}}, [candidate('S0001L01', STAGED, `${STAGING}/a.json`)])
      expect(item(p, 'S0001L01')).toEqual([expect.objectContaining({class: 'fill', action: 'apply'})])
      expect(p.blocked).toBe(0)
      expect(p.ops).toEqual([expect.objectContaining({op: 'update', id: 'S0001L01', phrases: STAGED, replaces: phrasesHash(empty.practice_phrases)})])
      expect(p.counts.fill).toBe(1)
      expect(p.consume.map((c) => c.file)).toEqual([`${STAGING}/a.json`])
      expect(p.coverage).toEqual({before: 0, after: 0.25})
    })
  }

  it('a canon basket with one usable phrase is still a conflict', () => {
    const p = plan({baskets: {S0001L01: basket(pairs(['', ''], ['blen', 'vosh']))}}, [candidate('S0001L01', STAGED, `${STAGING}/a.json`)])
    expect(item(p, 'S0001L01')).toEqual([expect.objectContaining({class: 'conflict', action: 'blocked'})])
    expect(p.ops).toEqual([])
  })
})

describe('mismatch: a basket written for another LEGO (renumbered ids)', () => {
  // lego_pairs says S0001L02 is trum / kelo; the file says it is dari / pim, and its phrases practise pim
  const RENUMBERED = pairs(['dari gosa', 'pim rulo'], ['mi dari', 'ta pim'], ['dari', 'pim'])
  const wrong = () => candidate('S0001L02', RENUMBERED, `${STAGING}/old.json`, {known: 'dari', target: 'pim'})

  it('is never applied by default, nor by --on-conflict take-staging or keep-canon, and does not block', () => {
    for (const onConflict of ['fail', 'take-staging', 'keep-canon'] as const) {
      for (const canon of [{baskets: {}}, {baskets: {S0001L02: basket(pairs(['trum', 'kelo']))}}]) {
        const p = plan(canon, [wrong()], {onConflict})
        expect(item(p, 'S0001L02')).toEqual([expect.objectContaining({class: 'mismatch', action: 'skip', note: expect.stringContaining('"dari" / "pim"')})])
        expect(p.ops).toEqual([])
        expect(p.blocked).toBe(0)
        expect(p.consume).toEqual([])
        expect(p.counts.mismatch).toBe(1)
      }
    }
  })

  it('is applied by an explicit per-id resolution: "staging" or its file', () => {
    for (const choice of ['staging', `${STAGING}/old.json`, 'old.json']) {
      const p = plan({baskets: {}}, [wrong()], {resolutions: {S0001L02: choice}})
      expect(item(p, 'S0001L02')).toEqual([expect.objectContaining({class: 'mismatch', action: 'apply'})])
      expect(p.ops).toEqual([expect.objectContaining({op: 'add', id: 'S0001L02', phrases: RENUMBERED})])
    }
    const over = plan({baskets: {S0001L02: basket(pairs(['trum', 'kelo']))}}, [wrong()], {resolutions: {S0001L02: 'staging'}})
    expect(over.ops).toEqual([expect.objectContaining({op: 'update', replaces: phrasesHash(pairs(['trum', 'kelo']))})])
    const kept = plan({baskets: {}}, [wrong()], {resolutions: {S0001L02: 'canon'}, onConflict: 'take-staging'})
    expect(kept.ops).toEqual([])
    // another file's name, or another id's resolution, does not apply it
    expect(plan({baskets: {}}, [wrong()], {resolutions: {S0001L02: 'other.json', S0001L01: 'staging'}}).ops).toEqual([])
  })

  it('a lego given as [target, known] is a swap, not a mismatch', () => {
    // the file's "target" is lego_pairs' known text; the phrases happen to hold it more often than the target
    const swapped = candidate('S0001L02', pairs(['kelo trum', 'trum lisa'], ['ta trum', 'trum']), `${STAGING}/s.json`, {known: 'kelo', target: 'trum'})
    expect(legoRelation({known: 'kelo', target: 'trum'}, {known: 'trum', target: 'kelo'}, swapped.phrases)).toBe('swap')
    const p = plan({baskets: {}}, [swapped])
    expect(item(p, 'S0001L02')).toEqual([expect.objectContaining({class: 'new', action: 'apply'})])
  })

  it('one side agreeing, or phrases that do not practise the file\'s LEGO, is not a mismatch', () => {
    const lego = {known: 'trum', target: 'kelo'}
    expect(legoRelation({known: 'trum', target: 'kelo!'}, lego, RENUMBERED)).toBe('same')
    expect(legoRelation({known: 'Trum', target: 'pim'}, lego, RENUMBERED)).toBe('same')
    expect(legoRelation({known: '', target: 'pim'}, lego, RENUMBERED)).toBe('same')
    expect(legoRelation(null, lego, RENUMBERED)).toBe('same')
    // both sides differ, but the phrases practise lego_pairs' kelo as much as the file's pim
    expect(legoRelation({known: 'dari', target: 'pim'}, lego, pairs(['a', 'pim kelo']))).toBe('differs')
    expect(legoRelation({known: 'dari', target: 'pim'}, lego, RENUMBERED)).toBe('mismatch')
  })

  it('a LEGO written with a gap is a frame: its pieces in order, as whole words', () => {
    expect(holds('ka dol ri', 'ka…ri')).toBe(true)
    expect(holds('ka dol ri', 'ka...ri')).toBe(true)
    expect(holds('ri dol ka', 'ka…ri')).toBe(false)
    expect(holds('kari dol', 'ka…ri')).toBe(false)
    expect(holds('mi pim.', 'pim')).toBe(true)
    expect(holds('mipim', 'pim')).toBe(false)
    expect(holds('我要电话', '电话')).toBe(true)
    const framed = candidate('S0001L02', pairs(['a', 'ka dol ri'], ['b', 'ka sel ri']), `${STAGING}/f.json`, {known: 'dari', target: 'ka…ri'})
    expect(item(plan({baskets: {}}, [framed]), 'S0001L02')[0]!.class).toBe('mismatch')
  })
})

describe('strays identical to a staged basket', () => {
  const STRAY = basket(STAGED, {known: 'blen', target: 'vosh'})

  it('are adopted in the same plan, so no top-level copy stays, and merge applies exactly that', () => {
    const canonDoc = {baskets: {S0001L02: basket(pairs(['trum', 'kelo']))}, S0001L01: STRAY}
    const p = plan(canonDoc, [candidate('S0001L01', STAGED, `${STAGING}/a.json`)])
    expect(p.ops).toEqual([expect.objectContaining({op: 'adopt', id: 'S0001L01', sources: [`${STAGING}/a.json`]})])
    expect(item(p, 'S0001L01')).toEqual([expect.objectContaining({class: 'identical', action: 'skip'}), expect.objectContaining({class: 'stray', action: 'apply'})])
    expect(p.consume.map((c) => c.file)).toEqual([`${STAGING}/a.json`])
    expect(p.staging).toEqual([{file: `${STAGING}/a.json`, sha256: SHA}])
    const applied = applyPlan(COURSE, canonOf(canonDoc), p, {tx: 'merge-1', at: '1970-01-01T00:00:00.000Z'})
    const after = JSON.parse(applied.bytes.toString('utf8'))
    expect(after.S0001L01).toBeUndefined()
    expect(after.baskets.S0001L01).toEqual(STRAY)
    expect(applied.adopted).toEqual(['S0001L01'])
    expect(applied.added).toEqual([])
  })

  it('a stray that differs from the staged basket stays where it is, and is reported', () => {
    const p = plan({baskets: {}, S0001L01: basket(pairs(['blen', 'vosh']))}, [candidate('S0001L01', STAGED, `${STAGING}/a.json`)])
    expect(p.ops).toEqual([expect.objectContaining({op: 'add', id: 'S0001L01'})])
    expect(item(p, 'S0001L01')).toEqual([expect.objectContaining({class: 'new', action: 'apply'}), expect.objectContaining({class: 'stray', action: 'skip'})])
  })
})

describe('counts agree with the items', () => {
  it('one key per class (stagingConflict, no staging-conflict), adding up to the items', () => {
    const files = ['a', 'b', 'c', 'd'].map((n) => `${STAGING}/${n}.json`)
    const p = plan(
      {baskets: {S0001L01: basket([]), S0001L03: basket(pairs(['dari', 'pim']))}, S0001L04: basket(pairs(['zabu', 'fenu']))},
      [
        candidate('S0001L01', STAGED, files[0]!),
        candidate('S0001L02', pairs(['dari gosa', 'pim rulo']), files[1]!, {known: 'dari', target: 'pim'}),
        candidate('S0001L04', pairs(['zabu', 'fenu']), files[2]!),
        candidate('S0009L01', STAGED, files[2]!),
      ],
      {},
      {stagingConflicts: [{id: 'S0001L03', variants: [files[2]!, files[3]!].map((file, n) => ({hash: String(n), phrases: 1, phrasesData: pairs(['dari', `pim${n}`]), sources: [{file, sha256: SHA, format: 'F1', path: '$'}]}))}]},
    )
    expect(Object.keys(p.counts)).toEqual([...COUNT_KEYS])
    expect(p.counts).toEqual({new: 0, fill: 1, identical: 1, update: 0, conflict: 0, stagingConflict: 1, mismatch: 1, overage: 0, orphan: 1, invalid: 0, repaired: 0, stray: 1})
    expect(Object.values(p.counts).reduce((a, b) => a + b, 0)).toBe(p.items.length)
  })

  it('formats count each file once, by the format it was read as', () => {
    const f = (format: FileReport['format'], status: FileReport['status']) => ({format, status})
    expect(formatCounts([f('F4', 'used'), f('F13', 'used'), f('F13', 'used'), f('F3', 'skipped'), f(null, 'bad')])).toEqual({F4: 1, F13: 2, F3: 1})
  })
})
