import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {renderFormat} from '../../../bench/synth/staging.js'
import {readCanonIndex} from '../../../src/core/canon/canon-index.js'
import {basketMemberText, memberText, scanLayout} from '../../../src/core/canon/layout.js'
import {covers, readCanon} from '../../../src/core/canon/read.js'
import {basketValue, serializeCanon} from '../../../src/core/canon/write.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {applyPlan, InvariantError} from '../../../src/core/merge/apply.js'
import {runMerge} from '../../../src/core/merge/run.js'
import {extractFor} from '../../../src/core/extract/run.js'
import {makePlan, type Plan, type PlanFile} from '../../../src/core/preview/plan.js'
import {runPreview} from '../../../src/core/preview/run.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {canonBytes, copyCourse, flowCourse} from '../../helpers/flow.js'

/**
 * Canon that wicker wrote is read by its byte layout (each basket parsed when asked for) and merged
 * by splicing. Both must give exactly what a full parse and a full serialisation give; anything
 * else is read and written the slow way.
 */
const META = {tx: 'merge-19991231T000000Z-000000', at: '1999-12-31T00:00:00.000Z'}
const template = flowCourse({seeds: 16, formats: ['F1'], canon: {fill: 0.3, empty: 3, orphans: 2, strays: 2, pollution: 2}})
const canonFile = (dir: string) => join(dir, 'lego_baskets.json')
const half = Math.floor(template.baskets.length / 2)

/** Legacy shapes a canon carries untouched through merges, and text that looks like layout. */
function dirty(dir: string): void {
  const doc = JSON.parse(readFileSync(canonFile(dir), 'utf8'))
  const [a, b, c] = Object.keys(doc.baskets)
  doc.baskets[a!] = [[`bare "array" \\ ${a}`, 'x'], {known: 'k', target: '",\n    "S0001L01": {'}]
  doc.baskets[b!] = {lego: ['k', 't'], practice_phrases: [{english: 'old key', target: 'ť'}], is_final_lego: false}
  doc.baskets[c!] = {practice_phrases: [{known: ' ', target: 'blank side'}]}
  doc.baskets['S9999L99 "quoted"\\'] = {practice_phrases: [{known: 'a', target: 'b'}]}
  writeFileSync(canonFile(dir), JSON.stringify(doc))
}

function stage(dir: string, folder: string, picks: number[], salt = ''): void {
  mkdirSync(folder, {recursive: true})
  picks.forEach((i, n) => {
    const b = template.baskets[i]!
    const phrases = salt ? b.phrases.map((p) => ({...p, known: `${p.known} ${salt}`})) : b.phrases
    for (const f of renderFormat('F1', [{lego: b.lego, phrases}], `p${n}${salt}`)) writeFileSync(join(folder, f.name), f.content)
  })
}

/** A course whose canon wicker has merged into once: the state every later merge starts from. */
const merged = await (async () => {
  const dir = copyCourse(template.dir)
  rmSync(join(dir, 'phase5_baskets_staging'), {recursive: true, force: true})
  dirty(dir)
  stage(dir, join(dir, 'first'), [...Array(half).keys()])
  await runMerge({course: dir, cwd: dir, yes: true, staging: [join(dir, 'first')]})
  return dir
})()

/** The plan written to `out`, with its ops' phrases read again from staging as merge reads them (the file names them, it does not carry them). */
async function planIn(dir: string, out: string, staging: string[]): Promise<Plan> {
  const given = JSON.parse(readFileSync(out, 'utf8')) as PlanFile
  const course = await loadCourse(dir, {orientation: null})
  const {full} = await both(dir)
  const extraction = await extractFor(course, {staging}, dir)
  const plan = makePlan({course, canon: full, extraction, lineage: given.lineage, options: given.options})
  expect(plan.planId).toBe(given.planId)
  return plan
}

async function both(dir: string) {
  const lazy = await readCanon(canonFile(dir), {index: wickerPaths(dir).canonIndex})
  const full = await readCanon(canonFile(dir))
  return {lazy, full}
}

describe('canon read by its layout', () => {
  it('a merge leaves an index naming the canon it wrote', async () => {
    const index = await readCanonIndex(wickerPaths(merged).canonIndex, (await readCanon(canonFile(merged))).sha256)
    expect(index).not.toBeNull()
    const {lazy, full} = await both(merged)
    expect(lazy.layout).toBeDefined()
    expect(index!.baskets).toBe(full.baskets.size)
    // the blank-sided basket is the one without a usable phrase
    expect(index!.uncovered.length).toBeGreaterThan(0)
    for (const id of index!.uncovered) expect(covers(full, id)).toBe(false)
  })

  it('reads every basket, coverage, strays and top-level fields exactly as a full parse does', async () => {
    const {lazy, full} = await both(merged)
    expect([...lazy.baskets.keys()]).toEqual([...full.baskets.keys()])
    for (const [id, basket] of full.baskets) {
      expect(lazy.baskets.get(id)).toEqual(basket)
      expect(covers(lazy, id)).toBe(covers(full, id))
    }
    expect(lazy.strays).toEqual(full.strays)
    expect(lazy.topLevel).toEqual(full.topLevel)
    expect(lazy.metadata).toEqual(full.metadata)
    expect(lazy.sha256).toBe(full.sha256)
  })

  it('ignores an index that names other bytes, and reads in full', async () => {
    const dir = copyCourse(merged)
    const bytes = canonBytes(dir)!
    writeFileSync(canonFile(dir), Buffer.concat([bytes.subarray(0, -1), Buffer.from(' \n')]))
    const {lazy} = await both(dir)
    expect(lazy.layout).toBeUndefined()
    expect(lazy.baskets.size).toBe((await readCanon(canonFile(merged))).baskets.size)
  })

  it('ignores an unreadable or foreign index', async () => {
    const dir = copyCourse(merged)
    const file = wickerPaths(dir).canonIndex
    const sha = (await readCanon(canonFile(dir))).sha256
    for (const text of ['', '{', '[]', JSON.stringify({...JSON.parse(readFileSync(join(merged, '.wicker/canon-index.json'), 'utf8')), format: 99})]) {
      writeFileSync(file, text)
      expect(await readCanonIndex(file, sha)).toBeNull()
      expect((await both(dir)).lazy.layout).toBeUndefined()
    }
  })

  it('finds no layout in bytes wicker did not write that way', () => {
    const doc = {version: '1', metadata: {}, baskets: {S0001L01: {practice_phrases: []}, S0001L02: {practice_phrases: []}}}
    const good = Buffer.from(serializeCanon(doc))
    expect(scanLayout(good)?.spans.map((s) => s.id)).toEqual(['S0001L01', 'S0001L02'])
    const refused = [
      JSON.stringify(doc),
      `${JSON.stringify(doc, null, 4)}\n`,
      serializeCanon({baskets: doc.baskets, version: '1'}),
      serializeCanon({...doc, baskets: {S0001L01: null, S0001L02: {}}}),
      serializeCanon(doc).replace('"S0001L02"', '"S0001L01"'),
      serializeCanon(doc).replace('},\n    "S0001L02"', '}\n    "S0001L02"'),
    ]
    for (const text of refused) expect(scanLayout(Buffer.from(text))).toBeNull()
  })
})

describe('merge by splicing', () => {
  const rest = fc.uniqueArray(fc.integer({min: half, max: template.baskets.length - 1}), {maxLength: 12})
  const again = fc.uniqueArray(fc.integer({min: 0, max: half - 1}), {maxLength: 4})

  it('writes byte for byte what serialising the whole document writes', async () => {
    await fc.assert(
      fc.asyncProperty(rest, again, async (fresh, regenerated) => {
        fc.pre(fresh.length + regenerated.length > 0)
        const dir = copyCourse(merged)
        stage(dir, join(dir, 'next'), fresh)
        // other versions of baskets canon holds, taken over canon: updates in place
        stage(dir, join(dir, 'next'), regenerated, 'again')
        const out = join(dir, 'plan.json')
        await runPreview({course: dir, cwd: dir, out, staging: [join(dir, 'next')], policy: {onConflict: 'take-staging'}})
        const plan = await planIn(dir, out, [join(dir, 'next')])
        const course = await loadCourse(dir, {orientation: null})
        const {lazy, full} = await both(dir)
        const spliced = applyPlan(course, lazy, plan, META)
        const serialised = applyPlan(course, full, plan, META)
        expect(spliced.written).toBe('spliced')
        expect(serialised.written).toBe('serialised')
        expect(spliced.bytes.equals(serialised.bytes)).toBe(true)
        expect(spliced.sha256).toBe(serialised.sha256)
        expect([...spliced.uncovered].sort()).toEqual([...serialised.uncovered].sort())
        expect(spliced.added.length + spliced.updated.length).toBe(plan.ops.length)
      }),
      {numRuns: 12},
    )
  })

  it('a merge after a merge splices, and its canon reads back by layout with the right index', async () => {
    const dir = copyCourse(merged)
    stage(dir, join(dir, 'next'), [half, half + 1, half + 2])
    const {result} = await runMerge({course: dir, cwd: dir, yes: true, staging: [join(dir, 'next')]})
    expect(result.written).toBe('spliced')
    expect(result.added).toHaveLength(3)
    const {lazy, full} = await both(dir)
    expect(lazy.layout).toBeDefined()
    expect([...lazy.baskets.keys()]).toEqual([...full.baskets.keys()])
    const index = await readCanonIndex(wickerPaths(dir).canonIndex, full.sha256)
    expect(index!.uncovered.sort()).toEqual([...full.baskets.keys()].filter((id) => !covers(full, id)).sort())
  })

  it('a layout that has lost track of a basket is caught before anything is written', async () => {
    const dir = copyCourse(merged)
    stage(dir, join(dir, 'next'), [half])
    const out = join(dir, 'plan.json')
    await runPreview({course: dir, cwd: dir, out, staging: [join(dir, 'next')]})
    const plan = await planIn(dir, out, [join(dir, 'next')])
    const course = await loadCourse(dir, {orientation: null})
    const {lazy} = await both(dir)
    const spans = lazy.layout!.spans
    const broken = {...lazy, layout: {...lazy.layout!, spans: [...spans.slice(0, 3), ...spans.slice(4)]}}
    expect(() => applyPlan(course, broken, plan, META)).toThrow(InvariantError)
  })

  it('canon with an integer-like key is written the slow way, and the same', async () => {
    const dir = copyCourse(merged)
    const doc = JSON.parse(readFileSync(canonFile(dir), 'utf8'))
    doc.baskets['12'] = {practice_phrases: [{known: 'a', target: 'b'}]}
    writeFileSync(canonFile(dir), JSON.stringify(doc))
    // the first merge normalises it; the second starts from bytes wicker wrote
    stage(dir, join(dir, 'one'), [half])
    expect((await runMerge({course: dir, cwd: dir, yes: true, staging: [join(dir, 'one')]})).result.written).toBe('serialised')
    stage(dir, join(dir, 'two'), [half + 1])
    const {result} = await runMerge({course: dir, cwd: dir, yes: true, staging: [join(dir, 'two')]})
    expect(result.written).toBe('serialised')
    expect(Object.keys(JSON.parse(readFileSync(canonFile(dir), 'utf8')).baskets)[0]).toBe('12')
  })
})

describe('a first merge into a canon another tool wrote', () => {
  const layouts = [(v: unknown) => JSON.stringify(v), (v: unknown) => JSON.stringify(v, null, 4), (v: unknown) => JSON.stringify(v, null, '\t').replaceAll('": ', '"\r\n :  ')]
  /** the template's canon rewritten: its baskets' keys reversed, their order reversed, one odd basket */
  function foreign(dir: string, layout: number, reverseKeys: boolean, reverseOrder: boolean, odd: boolean): void {
    const doc = JSON.parse(readFileSync(canonFile(template.dir), 'utf8'))
    let entries = Object.entries(doc.baskets as Record<string, Record<string, unknown>>)
    if (reverseKeys) entries = entries.map(([id, b]) => [id, Object.fromEntries(Object.entries(b).reverse())])
    if (reverseOrder) entries.reverse()
    doc.baskets = Object.fromEntries(entries)
    if (odd) doc.baskets[entries[0]![0]].note = 'not wicker\'s shape'
    writeFileSync(canonFile(dir), layouts[layout]!(doc))
  }

  it('writes the untouched baskets from the bytes it scanned, byte for byte what serialising the parsed document writes', async () => {
    let fromBytes = 0
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({min: 0, max: template.baskets.length - 1}), {minLength: 1, maxLength: 8}), fc.constantFrom(0, 1, 2), fc.boolean(), fc.boolean(), fc.boolean(), async (fresh, layout, reverseKeys, reverseOrder, odd) => {
        const dir = copyCourse(template.dir)
        rmSync(join(dir, 'phase5_baskets_staging'), {recursive: true, force: true})
        foreign(dir, layout, reverseKeys, reverseOrder, odd)
        stage(dir, join(dir, 'next'), fresh)
        const out = join(dir, 'plan.json')
        await runPreview({course: dir, cwd: dir, out, staging: [join(dir, 'next')]})
        const plan = await planIn(dir, out, [join(dir, 'next')])
        const course = await loadCourse(dir, {orientation: null})
        const scanned = await readCanon(canonFile(dir), {spans: 'usable', index: wickerPaths(dir).canonIndex})
        const {full} = await both(dir)
        const fast = applyPlan(course, scanned, plan, META)
        const slow = applyPlan(course, full, plan, META)
        expect(fast.written).toBe('serialised')
        expect(slow.fromBytes).toBe(false)
        // only a canon the scan read whole is written from its bytes
        expect(fast.fromBytes).toBe(!odd)
        if (fast.fromBytes) fromBytes++
        expect(fast.bytes.equals(slow.bytes)).toBe(true)
        expect(fast.sha256).toBe(slow.sha256)
        expect(fast.uncovered).toEqual(slow.uncovered)
      }),
      {numRuns: 16},
    )
    expect(fromBytes).toBeGreaterThan(0)
  })

})

describe('a basket member written directly', () => {
  const general = (id: string, value: unknown) => `    ${JSON.stringify(id)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n    ')}`
  const text = fc.oneof(fc.string({unit: 'grapheme'}), fc.string({unit: 'binary'}), fc.constantFrom('', '"', '\\', '\n', '\u2028', '\ud800', 'a\tb'))
  const pair = fc.record({known: text, target: text})

  it('is byte for byte what the indented stringify gives, for any text, final or not, with or without phrases', () => {
    fc.assert(
      fc.property(text, pair, fc.array(pair, {maxLength: 6}), fc.boolean(), (id, lego, phrases, isFinal) => {
        const value = basketValue({id: 'S0001L01', seedId: 'S0001', known: lego.known, target: lego.target, isFinal, isNew: true} as Parameters<typeof basketValue>[0], phrases)
        expect(basketMemberText(id, value)).toBe(general(id, value))
        expect(memberText(id, value)).toBe(general(id, value))
      }),
      {numRuns: 500},
    )
  })

  it('leaves any other shape to the general way', () => {
    const lego = {known: 'brask', target: 'trep'}
    const others: unknown[] = [
      {lego, practice_phrases: [], is_final_lego: false},
      {practice_phrases: [], lego, is_final_lego: false, phrase_count: 0},
      {lego, practice_phrases: [{target: 'a', known: 'b'}], is_final_lego: false, phrase_count: 1},
      {lego, practice_phrases: [{known: 'a', target: 'b', extra: 1}], is_final_lego: false, phrase_count: 1},
      {lego, practice_phrases: [null], is_final_lego: false, phrase_count: 1},
      {lego, practice_phrases: [], is_final_lego: 'no', phrase_count: 0},
      {lego, practice_phrases: [], is_final_lego: false, phrase_count: 1.5},
      [lego],
    ]
    for (const value of others) {
      expect(basketMemberText('S0001L01', value)).toBeNull()
      expect(memberText('S0001L01', value)).toBe(general('S0001L01', value))
    }
  })
})
