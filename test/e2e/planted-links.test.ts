import {createHash} from 'node:crypto'
import {cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

/**
 * The reviewer's repros, run with the built CLI on a copy of the bundled sample course: a symlink to
 * a file in a sibling folder, planted at a name wicker writes under .wicker/. The victim's bytes are
 * unchanged afterwards, and the command either works or refuses with a message (exit 2), never a
 * stack trace.
 */
const SAMPLE = fileURLToPath(new URL('../../sample/courses/qtl_for_qkn', import.meta.url))
const PRECIOUS = 'precious\n'
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

function course() {
  const root = tempDir()
  const dir = join(root, 'qtl_for_qkn')
  cpSync(SAMPLE, dir, {recursive: true})
  mkdirSync(join(root, 'outside'))
  const victim = join(root, 'outside', 'victim')
  writeFileSync(victim, PRECIOUS)
  mkdirSync(join(dir, '.wicker'))
  return {dir, victim, outside: join(root, 'outside')}
}

describe('wicker with symlinks planted in .wicker/', () => {
  it('extract finishes a planted committed merge without writing state through state.json.<tx>.tmp', async () => {
    const {dir, victim} = course()
    const tx = 'merge-20240101T000000Z-abcdef'
    const begin = {type: 'begin', tx, kind: 'merge', at: 'x', planId: null, target: null, before: null, after: sha(join(dir, 'lego_baskets.json')), backup: null, moves: [], counts: {added: 0, updated: 0, adopted: 0}}
    writeFileSync(join(dir, '.wicker', 'journal.ndjson'), `${JSON.stringify(begin)}\n${JSON.stringify({type: 'commit', tx, at: 'x'})}\n`)
    symlinkSync(victim, join(dir, '.wicker', `state.json.${tx}.tmp`))
    const run = await wickerIn(['extract', dir, '--json'])
    expect(run.code).toBe(0)
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS)
    expect(JSON.parse(readFileSync(join(dir, '.wicker', 'state.json'), 'utf8')).lastTx).toBe(tx)
  })

  it('extract quarantines a bad staging file without writing its reason through a planted link', async () => {
    const {dir, victim} = course()
    mkdirSync(join(dir, 'phase5_baskets_staging'))
    writeFileSync(join(dir, 'phase5_baskets_staging', 'bad.json'), '{"S0001L01": [')
    mkdirSync(join(dir, '.wicker', 'quarantine'))
    symlinkSync(victim, join(dir, '.wicker', 'quarantine', `${sha(join(dir, 'phase5_baskets_staging', 'bad.json')).slice(0, 12)}__bad.json.reason.json`))
    const run = await wickerIn(['extract', dir, '--json'])
    expect(run.code).toBe(0)
    expect(run.json.result.quarantined).toBe(1)
    expect(readFileSync(victim, 'utf8')).toBe(PRECIOUS)
  })

  it('extract and prepare-segments refuse a .wicker that is a symlink out of the course (exit 2, no stack trace)', async () => {
    const {dir, outside} = course()
    const elsewhere = join(outside, 'wicker-state')
    mkdirSync(elsewhere)
    rmSync(join(dir, '.wicker'), {recursive: true})
    symlinkSync(elsewhere, join(dir, '.wicker'))
    for (const command of ['extract', 'prepare-segments']) {
      const run = await wickerIn([command, dir, '--json'])
      expect(run.code, command).toBe(2)
      expect(run.json).toMatchObject({name: 'E_UNSAFE_PATH', message: expect.stringContaining(join(dir, '.wicker'))})
      expect(run.stderr).not.toMatch(STACK_TRACE)
    }
    expect(readdirSync(elsewhere)).toEqual([])
  })

  it('launch refuses a staging folder of the course that is a symlink out of it: no output lands outside', async () => {
    const {dir, outside} = course()
    expect((await wickerIn(['prepare-segments', dir, '--json'])).code).toBe(0)
    const elsewhere = join(outside, 'staging')
    mkdirSync(elsewhere)
    symlinkSync(elsewhere, join(dir, 'phase5_baskets_staging'))
    const run = await wickerIn(['launch', dir, '--stagger', '0s', '--json'])
    expect(run.code).toBe(2)
    expect(run.json).toMatchObject({name: 'E_UNSAFE_PATH', message: expect.stringContaining(join(dir, 'phase5_baskets_staging'))})
    expect(readdirSync(elsewhere)).toEqual([])
  })
})
