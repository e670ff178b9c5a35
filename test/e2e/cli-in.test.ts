import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {wickerIn} from '../helpers/cli-in.js'
import {wickerAsync, type CliRun} from '../helpers/cli.js'
import {copyCourse, flowCourse} from '../helpers/flow.js'
import {tempDir} from '../helpers/fs.js'

/**
 * The in-process runner (test/helpers/cli-in.ts) stands in for a spawned wicker in most CLI tests:
 * here a sample of cases runs both ways and what a user sees must be the same, byte for byte —
 * exit code, stdout, stderr, the --json envelope — for results, findings, mistakes before a command
 * runs, oclif's parse errors, wicker's own errors, help and writes to the course.
 */
describe('wickerIn: the same as the real process', () => {
  const f = flowCourse({seeds: 6})
  const nowhere = tempDir()
  const folder = join(tempDir(), 'a-folder.json')
  mkdirSync(folder)
  /** the course's path differs per copy: both ways see the same placeholder */
  const same = (run: CliRun, dir: string, writes = false): CliRun => {
    // a merge's transaction id is its time and a random part, and the canon it writes records it
    const clean = (s: string) => {
      const out = s.replaceAll(dir, '<course>').replaceAll(/merge-\d{8}T\d{6}Z-[0-9a-f]{6}/g, '<tx>')
      return writes ? out.replaceAll(/"after": \{\s*"sha256": "[0-9a-f]{64}"/g, '"after": {"sha256": "<sha>"') : out
    }
    return {...run, stdout: clean(run.stdout), stderr: clean(run.stderr), json: run.json === undefined ? undefined : JSON.parse(clean(run.stdout))}
  }
  const cases: {name: string; args: (dir: string) => string[]; env?: Record<string, string>; writes?: boolean}[] = [
    {name: 'detect --json (a result)', args: (d) => ['detect', d, '--json']},
    {name: 'detect (human text)', args: (d) => ['detect', d]},
    {name: 'detect --fail-on-missing (findings, exit 1)', args: (d) => ['detect', d, '--fail-on-missing', '--json']},
    {name: 'validate (human)', args: (d) => ['validate', d]},
    {name: 'status under WICKER_JSON', args: (d) => ['status', d], env: {WICKER_JSON: '1'}},
    {name: 'no such course --json', args: () => ['detect', 'no_such_course', '--courses-dir', nowhere, '--json']},
    {name: 'no such course (human, stderr)', args: () => ['detect', 'no_such_course', '--courses-dir', nowhere]},
    {name: 'a bad flag value (oclif parse error)', args: (d) => ['detect', d, '--orientation', 'sideways']},
    {name: 'a bad flag value --json', args: (d) => ['prepare-segments', d, '--packet-size', 'abc', '--json']},
    {name: 'an unknown flag', args: (d) => ['detect', d, '--vlorp']},
    {name: 'an unknown command (did-you-mean, exit 2)', args: () => ['detecc']},
    {name: 'an unknown command --json', args: () => ['vlorp', '--json']},
    {name: 'a flag before the command --json', args: (d) => ['--json', '--quiet', 'detect', d]},
    {name: 'no command --json', args: () => ['--json']},
    {name: 'a folder where a file is expected', args: (d) => ['merge', d, '--plan', folder, '--json']},
    {name: 'help for a command', args: () => ['merge', '--help']},
    {name: 'version --json', args: () => ['version', '--json']},
    {name: 'preview then merge writes the course', args: (d) => ['merge', d, '--yes', '--json'], writes: true},
  ]

  for (const c of cases) {
    it(c.name, async () => {
      const a = c.writes ? copyCourse(f.dir) : f.dir
      const b = c.writes ? copyCourse(f.dir) : f.dir
      const [real, inner] = [await wickerAsync(c.args(a), {env: c.env}), await wickerIn(c.args(b), {env: c.env})]
      expect(same(inner, b, c.writes)).toEqual(same(real, a, c.writes))
      expect(real.stdout + real.stderr).not.toBe('')
    })
  }

  it('the process is left as it was: env, cwd, exit code, stdout', async () => {
    const before = {env: {...process.env}, cwd: process.cwd(), exitCode: process.exitCode, write: process.stdout.write, argv: process.argv}
    const run = await wickerIn(['detect', 'no_such_course', '--courses-dir', nowhere], {cwd: nowhere, env: {WICKER_JSON: '1'}})
    expect(run.code).toBe(2)
    expect(run.json.name).toBe('E_COURSE_NOT_FOUND')
    expect({env: {...process.env}, cwd: process.cwd(), exitCode: process.exitCode, write: process.stdout.write, argv: process.argv}).toEqual(before)
  })
})
