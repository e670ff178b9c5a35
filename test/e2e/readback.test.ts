import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {planDigest, type Plan} from '../../src/core/preview/plan.js'
import {wickerIn} from '../helpers/cli-in.js'
import {STACK_TRACE, type CliRun} from '../helpers/cli.js'
import {tempDir, writeTree} from '../helpers/fs.js'

/**
 * Every file wicker reads back from a course (a plan, a missing manifest, a run plan and its
 * packets, state, the caches, the journal, the lock, the config), corrupted the ways a course folder
 * from elsewhere can be: a field of the wrong type, a field missing, the document nested one level
 * too deep, a path or name that leads out of the course, NUL bytes. The built CLI must answer with
 * the documented behaviour: a file the user named → exit 2 naming the file and the JSON path; wicker's
 * own state damaged → exit 3 and nothing written; a cache → ignored with a warning, the answer as
 * if it were absent. Never a stack trace, never exit 10.
 */
const CODE = 'vix_for_qem'
const LEGO_PAIRS = {
  course: CODE,
  seeds: [
    {seed_id: 'S0001', seed_pair: {known: 'brask oolin', target: 'trep vanu'}, legos: [
      {id: 'S0001L01', type: 'A', new: true, lego: {known: 'brask', target: 'trep'}},
      {id: 'S0001L02', type: 'A', new: true, lego: {known: 'oolin', target: 'vanu'}},
    ]},
    {seed_id: 'S0002', seed_pair: {known: 'brask oolin daff', target: 'trep vanu soma'}, legos: [
      {id: 'S0002L01', type: 'A', new: true, lego: {known: 'daff', target: 'soma'}},
    ]},
  ],
}
const CANON = {version: '1.0.0', course: CODE, baskets: {S0001L01: {lego: {known: 'brask', target: 'trep'}, practice_phrases: [{known: 'brask', target: 'trep'}]}}}
const STAGED = {S0001L02: {practice_phrases: [{known: 'oolin', target: 'vanu'}, {known: 'brask oolin', target: 'trep vanu'}]}}
const NUL = '\u0000\u0000\u0000'

function course(): string {
  const dir = join(tempDir(), CODE)
  writeTree(dir, {'lego_pairs.json': LEGO_PAIRS, 'lego_baskets.json': CANON, 'phase5_baskets_staging/zorn.json': STAGED})
  return dir
}

// in process: a parse error or a refusal needs no process of its own (a hang fails at the test's timeout)
const wicker = (args: string[]): Promise<CliRun> => wickerIn([...args, '--json'])

// The envelope's error fields, whether they sit under `error` or beside `status` (issue 11 §1).
const failure = (r: CliRun): {code?: string; name?: string; message: string; hint?: string} => r.json?.error ?? r.json ?? {message: r.stderr}
const errorCode = (r: CliRun) => failure(r).code ?? failure(r).name
const warningsOf = (r: CliRun): string[] => r.json?.warnings ?? []

/** Ended by itself with `exit`, a message naming `file` and matching `what`, no stack trace, no bug report. */
function expectRefused(r: CliRun, exit: number, file: string, what: RegExp, code?: string): void {
  expect(r.signal, 'the command hung and was killed').toBeNull()
  expect(r.stderr).not.toMatch(STACK_TRACE)
  expect(r.code, failure(r).message).toBe(exit)
  expect(failure(r).message).toContain(file)
  expect(failure(r).message).toMatch(what)
  if (code) expect(errorCode(r)).toBe(code)
  expect(failure(r).hint ?? '').not.toBe('')
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'))
const writeJson = (file: string, value: unknown) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
/** Sets a value at a path of the JSON in `file` (undefined deletes it). */
function edit(file: string, path: Path, value: unknown): void {
  const doc = readJson(file)
  let at = doc
  for (const key of path.slice(0, -1)) at = at[key]
  const last = path.at(-1)!
  if (value === undefined) delete at[last]
  else at[last] = value
  writeJson(file, doc)
}
const withNul = (file: string) => writeFileSync(file, Buffer.concat([readFileSync(file).subarray(0, 20), Buffer.from(NUL), readFileSync(file).subarray(20)]))

type Path = Array<string | number>
const shown = (path: Path) => path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1).replace(/^\[/, '[')
const naming = (path: Path) => new RegExp(`${shown(path).replace(/[.[\]]/g, '\\$&')}: `)

/**
 * The damages each file gets: a field of the wrong type, a field missing, the document one level
 * deeper, a name that leads out of the course, NUL bytes. Each with the place its message must name,
 * and whether its refusal is the schema's (NUL bytes are not JSON at all).
 */
function damages(file: {wrongType: [Path, unknown]; missing: Path; escape: [Path, string]; rootField: string}): Array<[string, (f: string) => void, RegExp, boolean]> {
  return [
    ['a field of the wrong type', (f) => edit(f, ...file.wrongType), naming(file.wrongType[0]), true],
    ['a field missing', (f) => edit(f, file.missing, undefined), naming(file.missing), true],
    ['an extra level of nesting', (f) => writeJson(f, {wrapped: readJson(f)}), naming([file.rootField]), true],
    ['a name out of the course', (f) => edit(f, ...file.escape), naming(file.escape[0]), true],
    ['NUL bytes', withNul, /not valid JSON/, false],
  ]
}

describe('a plan given to merge --plan', () => {
  async function planned(): Promise<{dir: string; plan: string}> {
    const dir = course()
    const plan = join(dir, '..', 'plan.json')
    const made = await wicker(['preview', dir, '--out', plan])
    expect(made.code, failure(made).message).toBe(0)
    return {dir, plan}
  }
  /** The plan, edited and given a planId that matches again: only the schema and the path checks stand in the way. */
  function forge(plan: string, change: (p: Plan) => void): void {
    const doc = readJson(plan) as Plan
    change(doc)
    const {planId, createdAt, ...body} = doc
    void planId
    void createdAt
    writeJson(plan, {...doc, planId: planDigest(body)})
  }
  const canonAfter = (dir: string) => readFileSync(join(dir, 'lego_baskets.json'), 'utf8')

  it('with a field of the wrong type, a missing field or an extra level of nesting: exit 2 naming the file and the JSON path', async () => {
    const cases: Array<[(p: Plan) => void, RegExp]> = [
      [(p) => void ((p.counts as unknown as Record<string, unknown>).new = 'three'), /counts\.new: /],
      [(p) => void ((p.ops[0] as unknown as Record<string, unknown>).sources = ['oolin', 7]), /ops\[0\]\.sources\[1\]: /],
      [(p) => void delete (p as Partial<Plan>).consume, /consume: /],
    ]
    for (const [change, path] of cases) {
      const {dir, plan} = await planned()
      const before = canonAfter(dir)
      forge(plan, change)
      expectRefused(await wicker(['merge', dir, '--plan', plan, '--yes']), 2, plan, path, 'E_PLAN_INVALID')
      expect(canonAfter(dir)).toBe(before)
    }
    const {dir, plan} = await planned()
    writeJson(plan, {plan: readJson(plan)})
    expectRefused(await wicker(['merge', dir, '--plan', plan, '--yes']), 2, plan, /kind: /, 'E_PLAN_INVALID')
  })

  it('naming a staging file outside the course: refused, nothing moved or written', async () => {
    const {dir, plan} = await planned()
    const outside = join(dir, '..', 'elsewhere.json')
    writeJson(outside, STAGED)
    const before = canonAfter(dir)
    forge(plan, (p) => {
      p.consume = [{file: '../elsewhere.json', stagingDir: 'phase5_baskets_staging'}]
    })
    const r = await wicker(['merge', dir, '--plan', plan, '--yes'])
    expect(r.stderr).not.toMatch(STACK_TRACE)
    expect([2, 3]).toContain(r.code)
    expect(failure(r).message).toMatch(/elsewhere\.json|outside/)
    expect(canonAfter(dir)).toBe(before)
    expect(existsSync(outside)).toBe(true)
  })

  it('with NUL bytes: exit 2 naming the file, line and column', async () => {
    const {dir, plan} = await planned()
    withNul(plan)
    expectRefused(await wicker(['merge', dir, '--plan', plan, '--yes']), 2, plan, /control character.* at line 1, column 21\./)
  })
})

describe('a missing manifest given to prepare-segments --manifest', () => {
  async function manifest(): Promise<{dir: string; file: string}> {
    const dir = course()
    const file = join(dir, '..', 'missing.json')
    const made = await wicker(['detect', dir, '--out', file])
    expect([0, 1]).toContain(made.code)
    return {dir, file}
  }

  it('each corruption: exit 2 naming the file and the place, no run prepared', async () => {
    for (const [, change, what, schema] of damages({wrongType: [['missing', 0, 'id'], 12], missing: ['createdAt'], escape: [['missing', 0, 'id'], '../../S0001L02'], rootField: 'kind'})) {
      const {dir, file} = await manifest()
      change(file)
      expectRefused(await wicker(['prepare-segments', dir, '--manifest', file, '--run', 'r1']), 2, file, what, schema ? 'E_MANIFEST' : 'E_INPUT_JSON')
      expect(existsSync(join(dir, '.wicker', 'runs', 'r1'))).toBe(false)
    }
  })
})

describe('a prepared run: its plan.json and packets, read back by launch', () => {
  async function prepared(): Promise<{dir: string; runDir: string; packet: string}> {
    const dir = course()
    const made = await wicker(['prepare-segments', dir, '--run', 'r1'])
    expect(made.code, failure(made).message).toBe(0)
    const runDir = join(dir, '.wicker', 'runs', 'r1')
    return {dir, runDir, packet: join(runDir, 'packets', readdirSync(join(runDir, 'packets'))[0]!)}
  }
  const launch = (dir: string) => wicker(['launch', dir, '--run', 'r1', '--agent', 'builtin'])
  const staged = (dir: string) => readdirSync(join(dir, 'phase5_baskets_staging')).filter((f) => f.startsWith('r1__'))

  it('a run plan that fails its schema: exit 2 naming the file and the field, no agent started', async () => {
    for (const [, change, what, schema] of damages({wrongType: [['packets', 0, 'legos'], 'many'], missing: ['gate'], escape: [['packets', 0, 'id'], '../../../outside'], rootField: 'kind'})) {
      const {dir, runDir} = await prepared()
      change(join(runDir, 'plan.json'))
      expectRefused(await launch(dir), 2, join(runDir, 'plan.json'), what, schema ? 'E_RUN_PLAN' : 'E_INPUT_JSON')
      expect(staged(dir)).toEqual([])
    }
  })

  it('a packet that fails its schema: exit 2 naming the packet file and the field, no agent started', async () => {
    const cases = [
      ...damages({wrongType: [['legos', 0, 'isFinal'], 'yes'], missing: ['chunks'], escape: [['run'], '../../elsewhere'], rootField: 'kind'}),
      ['a chunk index past its chunks', (f: string) => edit(f, ['legos', 0, 'allowed'], [999]), /legos\[0\]\.allowed\[0\]: chunk 999/, true] as const,
    ]
    for (const [, change, what, schema] of cases) {
      const {dir, packet} = await prepared()
      change(packet)
      expectRefused(await launch(dir), 2, packet, what, schema ? 'E_PACKET' : 'E_INPUT_JSON')
      expect(staged(dir)).toEqual([])
    }
  })
})

describe('.wicker/state.json, damaged', () => {
  // state.json names no path: its name-like field is the lineage
  const damaged = damages({wrongType: [['generation'], 'seven'], missing: ['lineage'], escape: [['lineage'], '../../'.repeat(60)], rootField: 'lineage'})
  async function merged(): Promise<{dir: string; state: string}> {
    const dir = course()
    const first = await wicker(['merge', dir, '--yes'])
    expect(first.code, failure(first).message).toBe(0)
    // a second basket to merge over the damaged state
    writeTree(dir, {'phase5_baskets_staging/quill.json': {S0002L01: {practice_phrases: [{known: 'daff', target: 'soma'}]}}})
    return {dir, state: join(dir, '.wicker', 'state.json')}
  }

  it.each(damaged)('%s: merge refuses (exit 3, E_STATE_DAMAGED) naming the file and the place, and writes nothing', async (_, damage, what) => {
    const {dir, state} = await merged()
    damage(state)
    const canon = readFileSync(join(dir, 'lego_baskets.json'))
    const damaged = readFileSync(state)
    const r = await wicker(['merge', dir, '--yes'])
    expectRefused(r, 3, state, what, 'E_STATE_DAMAGED')
    expect(failure(r).hint).toContain('move')
    expect(readFileSync(join(dir, 'lego_baskets.json'))).toEqual(canon)
    expect(readFileSync(state)).toEqual(damaged)
  })

  it('read-only commands say so and go on: preview and status exit 0 with a warning naming it', async () => {
    const {dir, state} = await merged()
    edit(state, ['generation'], 'seven')
    for (const command of ['preview', 'status']) {
      const r = await wicker([command, dir])
      expect(r.code, failure(r).message).toBe(0)
      expect(warningsOf(r).join('\n')).toContain(state)
    }
  })

  it('the way out the hint names works: moved aside, the next merge runs', async () => {
    const {dir, state} = await merged()
    edit(state, ['generation'], 'seven')
    writeFileSync(`${state}.damaged`, readFileSync(state))
    writeFileSync(state, '')
    // an empty file is damage too; only moving it away is the way out
    expect((await wicker(['merge', dir, '--yes'])).code).toBe(3)
    rmSync(state)
    const r = await wicker(['merge', dir, '--yes'])
    expect(r.code, failure(r).message).toBe(0)
  })
})

describe('the caches: ignored when damaged, with a warning, and the answer is as without them', () => {
  it('.wicker/extract.json that extract wrote is reused; damaged, preview reads staging again and says why', async () => {
    const dir = course()
    expect((await wicker(['extract', dir])).code).toBe(0)
    const cache = join(dir, '.wicker', 'extract.json')
    const good = await wicker(['preview', dir])
    expect(good.code, failure(good).message).toBe(0)
    expect(good.json.result.reusedExtract).toBe(true)
    expect(warningsOf(good).join('\n')).not.toContain(cache)
    const damages: Array<(file: string) => void> = [
      (f) => edit(f, ['candidates', 0, 'phrases'], 'oolin'),
      (f) => edit(f, ['fingerprint'], undefined),
      (f) => writeJson(f, {cache: readJson(f)}),
      withNul,
    ]
    for (const damage of damages) {
      expect((await wicker(['extract', dir])).code).toBe(0)
      damage(cache)
      const r = await wicker(['preview', dir])
      expect(r.code, failure(r).message).toBe(0)
      expect(r.stderr).not.toMatch(STACK_TRACE)
      expect(r.json.result.reusedExtract).toBe(false)
      expect(r.json.result.counts).toEqual(good.json.result.counts)
      expect(r.json.result.planId).toBe(good.json.result.planId)
      expect(warningsOf(r).join('\n')).toContain(cache)
    }
  })

  it('a cache naming a staging file outside the course is not trusted for it: staging is read again', async () => {
    const dir = course()
    expect((await wicker(['extract', dir])).code).toBe(0)
    const cache = join(dir, '.wicker', 'extract.json')
    edit(cache, ['candidates', 0, 'sources', 0, 'file'], '../../elsewhere.json')
    const r = await wicker(['preview', dir])
    expect(r.code, failure(r).message).toBe(0)
    expect(r.json.result.reusedExtract).toBe(false)
    expect(r.json.result.items.flatMap((i: {sources: string[]}) => i.sources)).not.toContain('../../elsewhere.json')
  })

  it('.wicker/canon-index.json, damaged: canon is read in full, with a warning naming it', async () => {
    const dir = course()
    expect((await wicker(['merge', dir, '--yes'])).code).toBe(0)
    const index = join(dir, '.wicker', 'canon-index.json')
    expect(existsSync(index)).toBe(true)
    const good = await wicker(['preview', dir])
    expect(warningsOf(good).join('\n')).not.toContain(index)
    for (const damage of [(f: string) => edit(f, ['uncovered'], 5), (f: string) => edit(f, ['baskets'], undefined), withNul]) {
      writeTree(dir, {'.wicker/canon-index.json': {kind: 'wicker/canon-index', format: 1, sha256: 'a'.repeat(64), baskets: 2, uncovered: []}})
      damage(index)
      const r = await wicker(['preview', dir])
      expect(r.code, failure(r).message).toBe(0)
      expect(r.json.result.counts).toEqual(good.json.result.counts)
      expect(warningsOf(r).join('\n')).toContain(index)
    }
  })
})

describe('wicker state that is already refused by its reader (journal, lock, ledger), with hostile bytes', () => {
  it('a journal record of the wrong type: exit 3 naming the line; NUL bytes in the middle: a torn line, tolerated', async () => {
    const dir = course()
    expect((await wicker(['merge', dir, '--yes'])).code).toBe(0)
    const journal = join(dir, '.wicker', 'journal.ndjson')
    const good = readFileSync(journal, 'utf8')
    writeFileSync(journal, `${good}{"type":"begin","tx":7}\n`)
    expectRefused(await wicker(['merge', dir, '--yes']), 3, journal, /line \d+/, 'E_JOURNAL_RECORD')
    writeFileSync(journal, `${good}{"type":"be${NUL}gin"\n`)
    const r = await wicker(['merge', dir, '--yes'])
    expect(r.stderr).not.toMatch(STACK_TRACE)
    expect(r.code, failure(r).message).toBe(0)
  })

  it('a lock with NUL bytes or a field of the wrong type: never taken over, merge refuses (E_LOCK_INVALID, exit 2 as store/lock.ts documents) and writes nothing', async () => {
    for (const [lock, what] of [[`{"lockId":${NUL}}`, /not JSON/], [JSON.stringify({lockId: 'x', pid: 'one', host: 'h', command: 'c', startedAt: 'now'}), /pid: /]] as const) {
      const dir = course()
      writeTree(dir, {'.wicker/lock': lock})
      const canon = readFileSync(join(dir, 'lego_baskets.json'))
      expectRefused(await wicker(['merge', dir, '--yes']), 2, join(dir, '.wicker', 'lock'), what, 'E_LOCK_INVALID')
      expect(readFileSync(join(dir, 'lego_baskets.json'))).toEqual(canon)
      expect(readFileSync(join(dir, '.wicker', 'lock'), 'utf8')).toBe(lock)
    }
  })
})

describe('wicker.config.json', () => {
  it('init writes a $schema that the loader accepts, pointing at the schema in the installed package', async () => {
    const dir = tempDir()
    writeTree(dir, {'node_modules/wicker/schemas/config.json': '{}', 'courses/.keep': ''})
    const r = await wicker(['init', join(dir, 'courses')])
    expect(r.code, failure(r).message).toBe(0)
    const text = readFileSync(join(dir, 'courses', 'wicker.config.json'), 'utf8')
    expect(text).toContain('"$schema": "../node_modules/wicker/schemas/config.json"')
    const check = await wicker(['status', course(), '--config', join(dir, 'courses', 'wicker.config.json')])
    expect(check.code, failure(check).message).toBe(0)
  })

  it('a field of the wrong type or an extra level of nesting: exit 2 naming the file and the field', async () => {
    const dir = course()
    for (const [config, path] of [[{gate: {windowSeeds: 'ten'}}, /gate\.windowSeeds: /], [{wicker: {gate: {}}}, /wicker/]] as const) {
      writeTree(dir, {'wicker.config.json': config})
      expectRefused(await wicker(['status', dir, '--config', join(dir, 'wicker.config.json')]), 2, join(dir, 'wicker.config.json'), path, 'E_CONFIG_INVALID')
    }
  })
})
