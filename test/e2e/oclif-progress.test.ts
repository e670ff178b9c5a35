import {spawnSync} from 'node:child_process'
import {cpSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {BIN} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

const SAMPLE = new URL('../../sample/courses/qtl_for_qkn', import.meta.url).pathname
/** ora's default spinner frames */
const SPINNER_FRAME = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/

/**
 * Runs wicker under a real pseudo-terminal (util-linux `script`): stdout and stderr both go to it.
 * `script` leaves the terminal's size at 0×0 unless told (`cols`); wicker then prints plain lines.
 */
function underPty(args: string[], cols = 100) {
  const env: NodeJS.ProcessEnv = {...process.env, TERM: 'xterm', NO_COLOR: '1'}
  delete env.CI
  delete env.CONTINUOUS_INTEGRATION
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
  const r = spawnSync('script', ['-qec', `stty cols ${cols} rows 40; ${command}`, '/dev/null'], {encoding: 'utf8', env, timeout: 60_000, killSignal: 'SIGKILL'})
  return {code: r.status, output: r.stdout}
}

describe('progress on long work', () => {
  it('shows a spinner per step on a terminal, each finished step left as a line', async () => {
    const r = underPty(['validate', SAMPLE])
    expect(r.code).toBe(0)
    expect(r.output).toMatch(SPINNER_FRAME)
    expect(r.output).toMatch(/✔ loading the course \(\d+\.\d s\)/)
    expect(r.output).toMatch(/✔ checking baskets \(\d+\.\d s\)/)
    expect(r.output).toContain('PASSED')
  })

  it('prints plain lines on a terminal that reports no width (ora would clear lines for ever)', async () => {
    const r = underPty(['validate', SAMPLE], 0)
    expect(r.code).toBe(0)
    expect(r.output).toContain('loading the course…')
    expect(r.output).not.toMatch(SPINNER_FRAME)
  })

  it('prints plain start lines in CI, on stderr, and no spinner', async () => {
    const r = await wickerIn(['validate', SAMPLE], {env: {CI: '1'}})
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('loading the course…\nbuilding the GATE index…\nreading canon…\nchecking baskets…\n')
    expect(r.stderr).not.toMatch(SPINNER_FRAME)
    expect(r.stdout).not.toContain('loading the course')
  })

  it('a canon refused while the GATE index was built is told under "reading canon", not under the index', async () => {
    const dir = join(tempDir(), 'qtl_for_qkn')
    cpSync(SAMPLE, dir, {recursive: true})
    writeFileSync(join(dir, 'lego_baskets.json'), '{"baskets": {"S0001L01": ')
    for (const command of [['validate', dir], ['report', dir, '--out', join(tempDir(), 'r.html')]]) {
      const r = await wickerIn(command, {env: {CI: '1'}})
      expect([command[0], r.code]).toEqual([command[0], 2])
      expect(r.stderr).toContain('building the GATE index…\nreading canon…\nreading canon: failed in')
    }
  })

  it('prints nothing but the one JSON document with --json, and no progress with --quiet', async () => {
    const json = await wickerIn(['validate', SAMPLE, '--json'], {env: {CI: '1'}})
    expect(json.code).toBe(0)
    expect(json.json.result.passed).toBe(true)
    expect(json.stderr).toBe('')
    const quiet = await wickerIn(['detect', SAMPLE, '--quiet'], {env: {CI: '1'}})
    expect(quiet.stderr).not.toContain('loading the course')
  })

  it('shows the demo\'s steps, the launch counted in packets, under a terminal', async () => {
    const dir = tempDir()
    const r = underPty(['demo', join(dir, 'demo')])
    expect(r.code).toBe(0)
    expect(r.output).toMatch(SPINNER_FRAME)
    expect(r.output).toMatch(/launch \d+\/\d+/)
    expect(r.output).toMatch(/validate +PASSED/)
  })

  it('shows each step of extract, preview and merge in CI', async () => {
    const dir = tempDir()
    const course = join(dir, 'qtl_for_qkn')
    cpSync(SAMPLE, course, {recursive: true})
    cpSync(new URL('../../sample/staging', import.meta.url).pathname, join(course, 'phase5_baskets_staging'), {recursive: true})
    const env = {CI: '1'}
    expect((await wickerIn(['extract', course], {env})).stderr).toContain('loading the course…\nreading staging…\n')
    // preview reuses extract's reading of staging when staging is unchanged
    expect((await wickerIn(['preview', course], {env})).stderr).toContain('loading the course…\nplanning…\n')
    // the sample's staging holds nothing canon lacks: the built-in agent writes what merge then adds
    expect((await wickerIn(['prepare-segments', course, '--packet-size', '40'], {env})).code).toBe(0)
    expect((await wickerIn(['launch', course], {env})).code).toBe(0)
    const merge = await wickerIn(['merge', course, '--yes'], {env})
    expect(merge.code).toBe(0)
    expect(merge.stderr).toContain('reading canon…')
    expect(merge.stderr).toContain('writing canon (backup, journal, atomic replace)…')
    expect(merge.stderr).toContain(`Undo with: wicker restore ${course} merge-`)
  })
})
