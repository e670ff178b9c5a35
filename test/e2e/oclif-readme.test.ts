import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

const ROOT = new URL('../..', import.meta.url).pathname
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

function between(text: string, start: string, stop: string): string {
  const from = text.indexOf(start)
  const to = text.indexOf(stop, from)
  expect(from, `${start} in README.md`).toBeGreaterThanOrEqual(0)
  expect(to, `${stop} in README.md`).toBeGreaterThan(from)
  return text.slice(from + start.length, to)
}

describe('the README', () => {
  it('carries the command reference `oclif readme` writes from the commands (run `npm run readme` when this fails)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/oclif/bin/run.js'), 'readme', '--no-aliases', '--dry-run'], {cwd: ROOT, encoding: 'utf8', env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}, timeout: 60_000})
    expect(r.status, r.stderr).toBe(0)
    // the first line says which file it would change ("replacing <!-- commands --> in …")
    const generated = between(r.stdout.slice(r.stdout.indexOf('\n')), '<!-- commands -->', '<!-- commandsstop -->')
    expect(generated).toContain('## `wicker validate COURSE`')
    expect(between(README, '<!-- commands -->', '<!-- commandsstop -->')).toBe(generated)
  }, 90_000)

  it('names only files of the repository that exist', () => {
    const named = new Set(README.match(/(?<![\w/.:-])(?:src|test|bench|sample|templates|bin|schemas)\/[\w./-]*[\w/]/g) ?? [])
    const missing = [...named].filter((p) => !p.startsWith('bench/out') && !existsSync(join(ROOT, p)))
    expect(missing).toEqual([])
    expect(named.size).toBeGreaterThan(10)
  })

  // in process (test/helpers/cli-in.ts): the same commands, arguments and cwd, without a Node start each
  it('runs every line of its sample-course examples, as written, each exiting 0', async () => {
    const lines = between(README, '<!-- sample-examples -->', '<!-- sample-examples-stop -->')
      .split('\n')
      .filter((l) => l.startsWith('wicker '))
      .map((l) => l.replace(/\s+#.*$/, '').split(/\s+/).slice(1))
    expect(lines.length).toBeGreaterThanOrEqual(5)
    const cwd = tempDir()
    cpSync(join(ROOT, 'sample'), join(cwd, 'sample'), {recursive: true})
    for (const args of lines) {
      const r = await wickerIn(args, {cwd})
      expect(r.code, `wicker ${args.join(' ')}\n${r.stderr}`).toBe(0)
      expect(r.stderr).not.toMatch(STACK_TRACE)
    }
  }, 120_000)
})
