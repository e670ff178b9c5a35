import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir, writeTree} from '../helpers/fs.js'
import {VERDICT_CODE, verdictCanon, verdictPairs, type VerdictCanonOptions} from '../helpers/verdict-course.js'

/** A course under a fresh courses folder; the commands run in that folder. */
function course(canon: VerdictCanonOptions, config?: unknown) {
  const cwd = tempDir()
  writeTree(cwd, {[`${VERDICT_CODE}/lego_pairs.json`]: verdictPairs, [`${VERDICT_CODE}/lego_baskets.json`]: verdictCanon(canon), ...(config ? {'wicker.config.json': config} : {})})
  const run = (...args: string[]) => wickerIn(['validate', VERDICT_CODE, '--courses-dir', cwd, ...args], {cwd})
  return {cwd, run}
}

/** The error of a JSON error envelope, before and after the envelope gains `name` beside `message`. */
const errorOf = (doc: {error?: {code: string; message?: string; hint?: string}; name?: string; message?: string; hint?: string}) => doc.error ?? {code: doc.name, message: doc.message, hint: doc.hint}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)

describe('validate: the verdict and its exit code', () => {
  it.each([
    ['PROCEED', {}, [], 0],
    ['PROCEED', {}, ['--detailed-exitcode'], 0],
    ['CONDITIONAL_PROCEED', {legoText: 2}, [], 0],
    ['CONDITIONAL_PROCEED', {legoText: 2}, ['--detailed-exitcode'], 5],
    ['CONDITIONAL_PROCEED', {legoText: 2}, ['--max-warnings', '2', '--detailed-exitcode'], 5],
    ['BLOCK', {legoText: 2}, ['--max-warnings', '1', '--detailed-exitcode'], 1],
    ['BLOCK', {legoText: 1}, ['--strict'], 1],
    ['BLOCK', {containment: true}, ['--detailed-exitcode'], 1],
    ['CONDITIONAL_PROCEED', {containment: true}, ['--critical', 'schema,orphan', '--detailed-exitcode'], 5],
    ['BLOCK', {legoText: 1}, ['--critical', 'lego-text'], 1],
  ] as const)('%s from %j with %j exits %i, in text and in JSON', async (verdict, canon, flags, code) => {
    const {run} = course(canon)
    const text = await run(...flags)
    expect(text.code).toBe(code)
    expect(lastLine(text.stdout)).toBe(`Verdict: ${verdict}`)
    const json = await run(...flags, '--json')
    expect(json.code).toBe(code)
    expect(json.json.result).toMatchObject({verdict, passed: verdict !== 'BLOCK', verdictReasons: verdict === 'PROCEED' ? [] : [expect.any(String)]})
  })

  it('takes critical and maxWarnings from the config; a flag wins over it', async () => {
    const {run} = course({legoText: 2}, {validate: {maxWarnings: 1}})
    expect((await run('--json')).json.result.verdict).toBe('BLOCK')
    expect((await run('--json')).json.result.verdictReasons).toEqual(['warnings: 2 finding(s) outside the critical checks (lego-text 2), over the limit of 1'])
    expect((await run('--max-warnings', '2')).code).toBe(0)
    const strict = course({legoText: 2}, {validate: {strict: true, critical: ['lego-text']}})
    expect((await strict.run('--json')).json.result.verdictReasons).toEqual(['lego-text: 2 finding(s) in a critical check (limit 0)'])
    // --max-warnings undoes the config's strict; --critical "" makes nothing critical
    expect((await strict.run('--critical', '', '--max-warnings', '5', '--json')).json.result.verdict).toBe('CONDITIONAL_PROCEED')
  })

  it.each([
    [['--critical', 'containment,spelin'], /--critical .*spelin/],
    [['--max-warnings', '-1'], /max-warnings/],
    [['--max-warnings', '2', '--strict'], /strict/],
    [['--format', 'html'], /html/],
    [['--output', 'x.xml'], /format/],
  ])('refuses %j: exit 2, a message, no stack trace', async (flags, message) => {
    const {run} = course({})
    const r = await run(...flags)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(STACK_TRACE)
    expect(r.stdout).toBe('')
  })

  it('refuses --format with --json and no --output: both want stdout', async () => {
    const r = await course({}).run('--format', 'github', '--json')
    expect(r.code).toBe(2)
    expect(errorOf(r.json)).toMatchObject({code: 'E_USAGE', message: '--format github and --json both print on stdout.', hint: expect.stringContaining('--output FILE')})
  })
})

describe('validate --format and --output', () => {
  it('--format github prints annotations on stdout, the canon file relative to the folder it ran in', async () => {
    const {run} = course({legoText: 1, containment: true})
    const r = await run('--format', 'github')
    expect(r.code).toBe(1)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(`::warning file=${VERDICT_CODE}/lego_baskets.json,title=lego-text in S0001L01::S0001L01: lego is "feno" / "bró"; lego_pairs says "fen" / "bró".`)
    expect(lines.some((l) => l.startsWith(`::error file=${VERDICT_CODE}/lego_baskets.json,title=containment in S0001L02 phrase 0::`))).toBe(true)
    expect(lines.at(-1)).toMatch(/^::error title=wicker validate qvb_for_qkw%3A BLOCK::Verdict: BLOCK%0Acontainment/)
  })

  it('--output writes the report to a file and stdout keeps the text, or with --json the envelope', async () => {
    const {cwd, run} = course({legoText: 1})
    const text = await run('--format', 'junit', '--output', 'reports.xml', '--detailed-exitcode')
    expect(text.code).toBe(5)
    expect(lastLine(text.stdout)).toBe('Verdict: CONDITIONAL_PROCEED')
    const xml = readFileSync(join(cwd, 'reports.xml'), 'utf8')
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="wicker validate qvb_for_qkw: CONDITIONAL_PROCEED" tests="\d+" failures="0"/)

    const json = await run('--format', 'markdown', '--output', 'summary.md', '--json')
    expect(json.code).toBe(0)
    expect(json.json.result.verdict).toBe('CONDITIONAL_PROCEED')
    expect(readFileSync(join(cwd, 'summary.md'), 'utf8')).toContain('**Verdict: CONDITIONAL_PROCEED**')
  })

  it('--output into a folder that does not exist, or onto a folder: exit 2 naming the path', async () => {
    const {run} = course({})
    for (const [target, why] of [['no/such/folder/report.xml', 'its folder does not exist'], ['.', 'a folder is in the way']]) {
      const r = await run('--format', 'junit', '--output', target!, '--json')
      expect(r.code).toBe(2)
      expect(errorOf(r.json)).toMatchObject({code: 'E_OUTPUT', message: expect.stringContaining(`--output ${target}: cannot write a file at`)})
      expect(errorOf(r.json).message).toContain(why!)
    }
  })
})
