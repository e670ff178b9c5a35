import {mkdirSync, readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {missingManifestSchema} from '../../src/core/schemas/manifest.js'
import {STACK_TRACE, wicker} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {synthCourse} from '../helpers/course.js'
import {snapshotTree, tempDir, writeTree} from '../helpers/fs.js'

const SAMPLE = new URL('../../sample/courses/qtl_for_qkn', import.meta.url).pathname

describe('the wicker binary', () => {
  it('prints its version and a help that lists the commands', () => {
    const version = wicker(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout).toMatch(/^wicker\/\d+\.\d+\.\d+/)
    const help = wicker(['--help'])
    expect(help.code).toBe(0)
    for (const command of ['detect', 'validate', 'init']) expect(help.stdout).toContain(command)
  })

  it('shows examples in every command\'s help', async () => {
    for (const command of ['detect', 'validate', 'init']) {
      const help = await wickerIn([command, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toContain('EXAMPLES')
      expect(help.stdout).toContain('--json')
    }
  })
})

describe('detect', () => {
  const synth = synthCourse({seed: 21, seeds: 30, canon: {fill: 0.7, empty: 2, overage: 2, orphans: 1, strays: 2, pollution: 1}})

  it('prints one JSON document with the counts, coverage and lists', async () => {
    const run = await wickerIn(['detect', synth.dir, '--json'])
    expect(run.code).toBe(0)
    expect(run.json.status).toBe(0)
    const e = synth.expected
    expect(run.json.result.counts).toEqual({legos: e.legos, needed: e.needed, present: e.present, missing: e.missing, empty: e.empty, overage: e.overage, orphans: e.orphans, strays: e.strays})
    expect(run.json.result.coverage).toBeCloseTo(e.present / e.needed)
    expect(run.json.result.missing[0]).toEqual({id: expect.stringMatching(/^S\d{4}L\d{2}$/), seed: expect.any(String), known: expect.any(String), target: expect.any(String), type: expect.any(String)})
    expect(run.json.result.strays).toHaveLength(2)
    expect(run.stderr).toBe('')
  })

  it('exits 1 with --fail-on-missing while anything is missing', async () => {
    expect((await wickerIn(['detect', synth.dir, '--fail-on-missing', '--json'])).code).toBe(1)
    const full = synthCourse({seed: 22, seeds: 10, canon: {fill: 1}})
    expect((await wickerIn(['detect', full.dir, '--fail-on-missing'])).code).toBe(0)
  })

  it('writes the missing manifest that prepare-segments reads', async () => {
    const out = `${tempDir()}/missing.json`
    const run = await wickerIn(['detect', synth.dir, '--out', out, '--json'])
    expect(run.json.result.manifest).toBe(out)
    const manifest = missingManifestSchema.parse(JSON.parse(readFileSync(out, 'utf8')))
    expect(manifest.missing).toHaveLength(synth.expected.missing)
    expect(manifest.course).toBe(synth.code)
    expect(manifest.canonSha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('prints a summary and the missing LEGOs grouped by seed for a person, warnings on stderr', async () => {
    const run = await wickerIn(['detect', synth.dir])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`${synth.expected.present} of ${synth.expected.needed} new LEGOs have a basket`)
    expect(run.stdout).toContain('Missing, by seed:')
    expect(run.stdout).not.toContain('warning')
  })

  it('finds a course by code under --courses-dir or WICKER_COURSES_DIR, from any folder', async () => {
    const parent = synth.dir.replace(/\/[^/]+$/, '')
    expect((await wickerIn(['detect', synth.code, '--courses-dir', parent, '--json'], {cwd: tempDir()})).json.result.course).toBe(synth.code)
    expect((await wickerIn(['detect', synth.code, '--json'], {cwd: tempDir(), env: {WICKER_COURSES_DIR: parent}})).json.result.course).toBe(synth.code)
  })

  it('finds courses under public/vfs/courses by default', async () => {
    const root = tempDir()
    const synthAt = synthCourse({seed: 23, seeds: 5})
    mkdirSync(`${root}/public/vfs/courses`, {recursive: true})
    writeTree(`${root}/public/vfs/courses/${synthAt.code}`, synthAt.files)
    expect((await wickerIn(['detect', synthAt.code, '--json'], {cwd: root})).json.result.counts.legos).toBe(synthAt.expected.legos)
  })

  it('changes no file in the course', async () => {
    const before = snapshotTree(synth.dir)
    await wickerIn(['detect', synth.dir])
    await wickerIn(['validate', synth.dir])
    expect(snapshotTree(synth.dir)).toEqual(before)
  })
})

describe('validate', () => {
  it('passes a clean course (exit 0) and fails a dirty one (exit 1), with findings', async () => {
    const clean = synthCourse({seed: 31, seeds: 25, canon: {fill: 1}})
    const ok = await wickerIn(['validate', clean.dir, '--json'])
    expect(ok.code).toBe(0)
    expect(ok.json.result).toMatchObject({passed: true, gate: 'cumulative', counts: {errors: 0, warnings: 0, phrases: clean.expected.phrases}})

    const dirty = synthCourse({seed: 32, seeds: 25, canon: {fill: 1, gateViolations: 4}})
    const bad = await wickerIn(['validate', dirty.dir, '--json'])
    expect(bad.code).toBe(1)
    expect(bad.json.result.passed).toBe(false)
    expect(bad.json.result.checks.find((c: {id: string}) => c.id === 'gate').count).toBe(4)
    const finding = bad.json.result.findings.find((f: {check: string}) => f.check === 'gate')
    expect(finding).toMatchObject({check: 'gate', severity: 'error', basket: expect.any(String), phrase: expect.any(Number), message: expect.any(String)})

    const rate = (4 / dirty.expected.phrases) * 100
    expect((await wickerIn(['validate', dirty.dir, '--max-gate-violations', String(rate + 0.01)])).code).toBe(0)
    expect((await wickerIn(['validate', dirty.dir, '--max-gate-violations', `${rate - 0.01}%`])).code).toBe(1)
  })

  it('takes the GATE definition from a flag or the config', async () => {
    const course = synthCourse({seed: 33, seeds: 15, canon: {fill: 1}})
    expect((await wickerIn(['validate', course.dir, '--gate', 'strict', '--json'])).json.result.gate).toBe('strict')
    writeTree(course.dir, {'wicker.config.json': '{"gate": {"definition": "seed"}}'})
    expect((await wickerIn(['validate', '.', '--json'], {cwd: course.dir})).json.result.gate).toBe('seed')
  })

  it('--strict fails on warnings', async () => {
    const partial = synthCourse({seed: 34, seeds: 15, canon: {fill: 0.5}})
    expect((await wickerIn(['validate', partial.dir])).code).toBe(0)
    expect((await wickerIn(['validate', partial.dir, '--strict'])).code).toBe(1)
  })

  it('prints a table of checks and the verdict for a person', async () => {
    const run = await wickerIn(['validate', SAMPLE])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/check\s+severity\s+found/)
    expect(run.stdout).toContain('PASSED')
  })
})

describe('bad input: a message that names the file and the fix, an exit code, never a stack trace', () => {
  const course = (files: Record<string, unknown>) => writeTree(`${tempDir()}/qtl_for_qkn`, files)
  const good = synthCourse({seed: 41, seeds: 5}).files['lego_pairs.json']

  const cases: Array<{name: string; args: () => string[]; code: number; error: string; says: RegExp}> = [
    {name: 'a course that does not exist', args: () => ['detect', 'no_such_course', '--courses-dir', tempDir()], code: 2, error: 'E_COURSE_NOT_FOUND', says: /No course "no_such_course"/},
    {name: 'a folder without lego_pairs.json', args: () => ['detect', tempDir()], code: 2, error: 'E_COURSE_NO_LEGO_PAIRS', says: /has no lego_pairs\.json/},
    {name: 'lego_pairs.json with invalid JSON', args: () => ['validate', course({'lego_pairs.json': '{"seeds": [\n  {"seed_id": "S0001",,}\n]}'})], code: 2, error: 'E_INPUT_JSON', says: /lego_pairs\.json is not valid JSON: .* at line 2, column \d+/},
    {name: 'lego_pairs.json that is a bare string', args: () => ['detect', course({'lego_pairs.json': '"hello"'})], code: 2, error: 'E_INPUT_LEGO_PAIRS', says: /lego_pairs\.json is not a lego_pairs file wicker recognises: the file holds a string/},
    {name: 'an empty lego_pairs.json', args: () => ['detect', course({'lego_pairs.json': ''})], code: 2, error: 'E_INPUT_EMPTY', says: /lego_pairs\.json is empty/},
    {name: 'a truncated canon', args: () => ['detect', course({'lego_pairs.json': good, 'lego_baskets.json': '{"baskets": {"S0001L01": {"practice_'})], code: 2, error: 'E_INPUT_JSON', says: /lego_baskets\.json is not valid JSON/},
    {name: 'a canon that is an array', args: () => ['validate', course({'lego_pairs.json': good, 'lego_baskets.json': '[]'})], code: 2, error: 'E_INPUT_CANON', says: /holds an array/},
    {name: 'lego_pairs.json that is a folder', args: () => ['detect', course({'lego_pairs.json/x': 'y'})], code: 4, error: 'E_IO_EISDIR', says: /Could not read .*lego_pairs\.json/},
    {name: 'an unknown flag', args: () => ['detect', '.', '--frobnicate'], code: 2, error: 'E_USAGE', says: /frobnicate/},
    {name: 'a missing argument', args: () => ['validate'], code: 2, error: 'E_USAGE', says: /course/i},
    {name: 'a GATE definition that does not exist', args: () => ['validate', '.', '--gate', 'loose'], code: 2, error: 'E_USAGE', says: /loose/},
    {name: 'an invalid config field', args: () => ['detect', course({'lego_pairs.json': good, 'wicker.config.json': '{"gate": {"windowSeeds": -1}}'})], code: 2, error: 'E_CONFIG_INVALID', says: /gate\.windowSeeds/},
    {name: 'array pairs whose order cannot be told', args: () => ['detect', course({'lego_pairs.json': {seeds: [['S0001', ['vé', 'mip'], [['S0001L01', 'A', 'vé', 'mip']]]]}})], code: 2, error: 'E_ORIENTATION', says: /Cannot tell whether the array pairs in .*lego_pairs\.json are \[known, target\] or \[target, known\]/},
  ]

  for (const c of cases) {
    it(`${c.name}: exit ${c.code}`, async () => {
      const args = c.args()
      const configDir = args.find((a) => a.endsWith('qtl_for_qkn'))
      const human = await wickerIn(args, {cwd: configDir})
      expect(human.code).toBe(c.code)
      expect(human.stdout).toBe('')
      expect(human.stderr).toMatch(c.says)
      expect(human.stderr).toMatch(/^error /m)
      expect(human.stderr).not.toMatch(STACK_TRACE)
      const json = await wickerIn([...args, '--json'], {cwd: configDir})
      expect(json.code).toBe(c.code)
      expect(json.json).toMatchObject({status: c.code, name: c.error, message: expect.stringMatching(c.says)})
      expect(json.json.hint).toEqual(expect.any(String))
      expect(json.stdout).not.toMatch(STACK_TRACE)
    })
  }

  it('reports broken seeds as warnings and still loads the rest', async () => {
    const dir = course({
      'lego_pairs.json': {seeds: [
        {seed_id: 'S0001', seed_pair: {known: 'mip', target: 'vé'}, legos: [{id: 'S0001L01', type: 'A', new: true, lego: {known: 'mip', target: 'vé'}}]},
        {seed_id: 'S0002', seed_pair: {known: 'dax', target: 'qó'}, legos: {S0002L01: {practice_phrases: []}}},
      ]},
    })
    const run = await wickerIn(['detect', dir, '--json'])
    expect(run.code).toBe(0)
    expect(run.json.result.counts.legos).toBe(1)
    expect(run.json.warnings.join('\n')).toContain('seed S0002')
    const human = await wickerIn(['detect', dir])
    expect(human.stderr).toMatch(/^warning lego_pairs: seed S0002/m)
  })
})

describe('init', () => {
  it('sets a folder up once, and a second run changes nothing', async () => {
    const dir = tempDir()
    const first = await wickerIn(['init', dir, '--json'])
    expect(first.code).toBe(0)
    expect(first.json.result.changes).toHaveLength(3)
    const before = snapshotTree(dir)
    const second = await wickerIn(['init', dir])
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('Nothing to do')
    expect(snapshotTree(dir)).toEqual(before)
  })
})
