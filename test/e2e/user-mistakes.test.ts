import {existsSync, mkdirSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {STACK_TRACE, wicker} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {flowCourse} from '../helpers/flow.js'
import {tempDir, writeTree} from '../helpers/fs.js'

/** The same mistake gets the same answer: exit 2, a message naming the flag, "check the path". */
async function expectNamedFileMistake(args: string[], flag: string, human = false) {
  const run = await wickerIn([...args, '--json'])
  expect(run.code, args.join(' ')).toBe(2)
  expect(run.json.name).toMatch(/^E_FILE_(MISSING|UNREADABLE)$/)
  expect(run.json.message).toContain(flag)
  expect(run.json.hint).toContain(`Check the path given to ${flag}`)
  if (!human) return
  const text = await wickerIn(args)
  expect(text.code).toBe(2)
  expect(text.stderr).toContain(flag)
  expect(text.stdout + text.stderr).not.toMatch(STACK_TRACE)
}

describe('a file named with a flag that is missing or not a file', () => {
  const f = flowCourse({seeds: 6})
  const folder = join(f.dir, 'a-folder.json')
  mkdirSync(folder)

  it('--plan, --manifest, --resolutions and --config: exit 2 naming the flag, for a missing path and a folder alike', async () => {
    for (const path of [join(f.dir, 'nowhere-vlorp.json'), folder]) {
      const human = path === folder
      await expectNamedFileMistake(['merge', f.dir, '--plan', path], '--plan', human)
      await expectNamedFileMistake(['prepare-segments', f.dir, '--manifest', path], '--manifest', human)
      await expectNamedFileMistake(['preview', f.dir, '--resolutions', path], '--resolutions', human)
      await expectNamedFileMistake(['merge', f.dir, '--yes', '--resolutions', path], '--resolutions')
      await expectNamedFileMistake(['detect', f.dir, '--config', path], '--config', human)
    }
    // nothing was written for the refused merge
    expect(existsSync(join(f.dir, '.wicker', 'journal.ndjson'))).toBe(false)
  })
})

describe('settings out of range are usage errors, never "please report"', () => {
  const dir = writeCourse(tempDir(), generateCourse({seeds: 4, seed: 5, canon: {fill: 0}}))

  it('prepare-segments --window-seeds 20000 is exit 2 with the range, as validate is', async () => {
    for (const command of ['prepare-segments', 'validate']) {
      const run = await wickerIn([command, dir, '--window-seeds', '20000', '--json'])
      expect(run.code, command).toBe(2)
      expect(run.json.message).toMatch(/--window-seeds 20000 is out of range: give an integer from 0 to 10000/)
    }
  })

  it('validate --max-gate-violations 500 names the flag, the value and the range', async () => {
    const run = await wickerIn(['validate', dir, '--max-gate-violations', '500', '--json'])
    expect(run.code).toBe(2)
    expect(run.json).toMatchObject({name: 'E_SETTINGS'})
    expect(run.json.message).toContain('--max-gate-violations 500')
    expect(run.json.message).toContain('allowed: 0 to 100')
    expect(run.json.hint).toContain('--max-gate-violations')
  })

  it('a config value out of range names the config key and the file', async () => {
    const cfg = join(tempDir(), 'wicker.config.json')
    writeTree(join(cfg, '..'), {'wicker.config.json': {validate: {phrasesPerBasket: 0}}})
    const run = await wickerIn(['validate', dir, '--config', cfg, '--json'])
    expect(run.code).toBe(2)
    expect(run.json.message).toContain('phrasesPerBasket')
    expect(run.stdout).not.toMatch(/please report/i)
  })
})

describe('a missing agent program is a usage error before any packet starts', () => {
  const dir = writeCourse(tempDir(), generateCourse({seeds: 4, seed: 7, canon: {fill: 0}}))
  const prep = wicker(['prepare-segments', dir, '--json'])
  const runDir = join(dir, '.wicker', 'runs', prep.json.result.run)

  it('--agent claude with no claude on PATH: E_AGENT_NOT_FOUND, exit 2, nothing started', async () => {
    const emptyBin = tempDir()
    const run = await wickerIn(['launch', dir, '--agent', 'claude', '--json'], {env: {PATH: emptyBin}})
    expect(run.code).toBe(2)
    expect(run.json).toMatchObject({name: 'E_AGENT_NOT_FOUND'})
    expect(run.json.hint).toContain('--agent-bin')
    expect(existsSync(join(runDir, 'ledger.ndjson'))).toBe(false)
  })

  it('--agent-cmd naming a missing program, or --agent-bin a missing path: the same', async () => {
    for (const args of [['--agent', 'command', '--agent-cmd', '["vexil-no-such-agent", "{packet}"]'], ['--agent', 'codex', '--agent-bin', join(dir, 'nope', 'codex')]]) {
      const run = await wickerIn(['launch', dir, ...args, '--json'])
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.json.name).toBe('E_AGENT_NOT_FOUND')
      expect(run.json.hint).toMatch(/check the path/)
    }
    expect(existsSync(join(runDir, 'ledger.ndjson'))).toBe(false)
    expect(readdirSync(join(dir)).filter((n) => n.includes('staging'))).toEqual([])
  })
})
