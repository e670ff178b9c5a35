import {spawnSync} from 'node:child_process'
import {execFileSync} from 'node:child_process'
import {existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

/**
 * What launch accepts as an agent's output, by one rule with extract: at the output path only a
 * regular file within the size cap (no FIFO, symlink or folder), and in staging only what extract
 * would read (a FIFO or symlink named like a done output is not "done"). Each odd thing is real:
 * a real FIFO, a real symlink, a real folder, a real oversized file, made by a real agent process.
 */
const BUILTIN = fileURLToPath(new URL('../../dist/agent/builtin.js', import.meta.url))
const FAST = ['--stagger', '0s', '--grace', '300ms', '--retries', '0', '--halt', 'never', '--json']
const STAGING = 'phase5_baskets_staging'

async function prepared(seed: number) {
  const dir = writeCourse(tempDir(), generateCourse({seeds: 6, seed, canon: {fill: 0}}))
  const prep = await wickerIn(['prepare-segments', dir, '--packet-size', '3', '--json'])
  expect(prep.code).toBe(0)
  const run = prep.json.result.run as string
  const ids = prep.json.result.segments.flatMap((s: {packets: Array<{id: string}>}) => s.packets.map((p) => p.id)) as string[]
  return {dir, run, ids, runDir: join(dir, '.wicker', 'runs', run)}
}

/** A valid output of a packet, made by the built-in generator outside the course. */
function validOutput(runDir: string, packet: string): string {
  const r = spawnSync(process.execPath, [BUILTIN], {env: {...process.env, WICKER_PACKET: join(runDir, 'packets', `${packet}.json`), WICKER_OUTPUT: ''}, input: '', encoding: 'utf8'})
  expect(r.status).toBe(0)
  const file = join(tempDir(), `${packet}.json`)
  writeFileSync(file, r.stdout)
  return file
}

/** `--agent command` with a shell script as the agent (wicker itself runs no shell). */
const agent = (script: string) => ['--agent', 'command', '--agent-cmd', JSON.stringify(['sh', '-c', script, 'odd-agent'])]

describe('an odd thing at the output path is a failed attempt (invalid-output) naming the file: never a hang, never exit 10', () => {
  const cases: Array<{name: string; script: (p: {runDir: string; packet: string}) => string; env?: Record<string, string>; message: RegExp}> = [
    {name: 'a FIFO', script: () => 'mkfifo "$WICKER_OUTPUT"', message: /FIFO/},
    {name: 'a folder', script: () => 'mkdir "$WICKER_OUTPUT"', message: /a folder/},
    {name: 'a symlink to a valid output elsewhere', script: (p) => `ln -s '${validOutput(p.runDir, p.packet)}' "$WICKER_OUTPUT"`, message: /symbolic link/},
    {name: 'a file over the size cap', env: {WICKER_MAX_FILE_BYTES: '64k'}, script: () => 'head -c 100000 /dev/zero | tr "\\0" a > "$WICKER_OUTPUT"', message: /100000 bytes, over the 65536-byte cap/},
  ]
  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      const p = await prepared(40 + i)
      const packet = p.ids[0]!
      const run = await wickerIn(['launch', p.dir, ...FAST, '--only', '1', ...agent(c.script({runDir: p.runDir, packet}))], {env: c.env, timeout: 30_000})
      expect(run.signal).toBeNull()
      expect(run.stderr).not.toMatch(STACK_TRACE)
      expect(run.code).toBe(1)
      expect(run.json.result.packets).toMatchObject({total: 1, ok: 0, failed: 1})
      expect(run.json.result.failures).toEqual([{packet, index: 1, class: 'invalid-output', message: expect.stringMatching(c.message)}])
      expect(run.json.result.failures[0].message).toContain(join('.wicker', 'runs', p.run, 'work', `${packet}__1.json`))
      expect(existsSync(join(p.dir, STAGING)) ? readdirSync(join(p.dir, STAGING)) : []).toEqual([])
    })
  }

  it('printing more than the cap stops the agent and is invalid-output, saying so', async () => {
    const p = await prepared(45)
    const started = Date.now()
    const run = await wickerIn(['launch', p.dir, ...FAST, '--only', '1', ...agent('yes vlem; sleep 30')], {env: {WICKER_MAX_FILE_BYTES: '64k'}, timeout: 30_000})
    expect(run.code).toBe(1)
    expect(run.json.result.failures).toEqual([expect.objectContaining({class: 'invalid-output', message: expect.stringContaining('printed more than 65536 bytes on stdout')})])
    expect(Date.now() - started).toBeLessThan(15_000)
  })
})

describe('in staging, only what extract would read makes a packet done', () => {
  it('a FIFO and a symlink named like done outputs do not block launch, are not "done", and are left as they are', async () => {
    const p = await prepared(50)
    const [first, second] = p.ids as [string, string]
    mkdirSync(join(p.dir, STAGING), {recursive: true})
    const fifo = join(p.dir, STAGING, `${p.run}__${first}__1.json`)
    execFileSync('mkfifo', [fifo])
    const link = join(p.dir, STAGING, `${p.run}__${second}__1.json`)
    const target = validOutput(p.runDir, second)
    symlinkSync(target, link)

    const run = await wickerIn(['launch', p.dir, ...FAST, '--only', '1,2'], {timeout: 30_000})
    expect(run.signal).toBeNull()
    expect(run.code).toBe(0)
    expect(run.json.result.packets).toMatchObject({total: 2, ok: 2, skipped: 0, failed: 0})
    // the odd files are untouched, and the new outputs are numbered past them (staging is never overwritten)
    expect(lstatSync(fifo).isFIFO()).toBe(true)
    expect(readlinkSync(link)).toBe(target)
    expect(run.json.result.staged.sort()).toEqual([join(STAGING, `${p.run}__${first}__2.json`), join(STAGING, `${p.run}__${second}__2.json`)].sort())
    // and extract reads exactly those two, so every LEGO of both packets is there
    const extracted = await wickerIn(['extract', p.dir, '--json'])
    expect(extracted.json.result.files.used).toBe(2)
    // a second launch calls them done: the same rule as extract
    const again = await wickerIn(['launch', p.dir, ...FAST, '--only', '1,2'], {timeout: 30_000})
    expect(again.json.result.packets).toMatchObject({total: 2, ok: 0, skipped: 2})
    expect(readFileSync(target, 'utf8').length).toBeGreaterThan(0)
  })
})
