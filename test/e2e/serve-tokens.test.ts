import {spawn} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE, wickerAsync} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {snapshotTree, tempDir, writeTree} from '../helpers/fs.js'
import {schemaErrors} from '../helpers/json-schemas.js'
import {DIST} from '../helpers/race.js'

type Tokens = typeof import('../../src/core/serve/tokens.js')
const {verifyToken} = (await import(join(DIST, 'core/serve/tokens.js'))) as Tokens

function course(): string {
  return writeTree(join(tempDir(), 'plo_for_tam'), {
    'lego_pairs.json': {seeds: [{seed_id: 'S0001', seed_pair: {known: 'vrel dan', target: 'mok sif'}, legos: [{id: 'S0001L01', type: 'A', known: 'vrel', target: 'mok', new: true}]}]},
  })
}

/** every byte wicker keeps for the course, as text, to look for a token in */
const wickerBytes = (dir: string) => Object.entries(snapshotTree(join(dir, '.wicker'))).map(([name, b64]) => `${name}\n${Buffer.from(b64, 'base64').toString('latin1')}`).join('\n')

describe('wicker serve token', () => {
  it('create → list → revoke → the token no longer verifies; the token is in no list output and no file', async () => {
    const dir = course()
    const made = await wickerIn(['serve', 'token', 'create', dir, '--run', 'run-a', '--expires', '2h', '--json'])
    expect(made.code, made.stderr).toBe(0)
    const {token, id, course: code, run, expiresAt, createdAt} = made.json.result
    expect(token).toMatch(/^wkr_[A-Za-z0-9_-]{43}$/)
    expect([code, run, Date.parse(expiresAt) - Date.parse(createdAt)]).toEqual(['plo_for_tam', 'run-a', 2 * 3_600_000])
    const human = await wickerIn(['serve', 'token', 'create', dir, '--quiet'])
    expect(human.code).toBe(0)
    const second = human.stdout.trim()
    expect(second).toMatch(/^wkr_[A-Za-z0-9_-]{43}$/)

    expect(await verifyToken(dir, token, {course: 'plo_for_tam', run: 'run-a'})).toMatchObject({ok: true, token: {id}})
    const lists = [await wickerIn(['serve', 'token', 'list', dir, '--json']), await wickerIn(['serve', 'token', 'list', dir])]
    expect(lists[0]!.json.result.tokens.map((t: {id: string; state: string}) => [t.id, t.state])).toEqual([[id, 'active'], [expect.stringMatching(/^tok_/), 'active']])
    expect(lists[1]!.stdout).toContain(id)
    for (const out of [...lists.flatMap((l) => [l.stdout, l.stderr]), wickerBytes(dir)]) {
      for (const t of [token, second]) expect(out).not.toContain(t.slice(4))
    }

    const revoked = await wickerIn(['serve', 'token', 'revoke', dir, id, '--json'])
    expect(revoked.code).toBe(0)
    expect(revoked.json.result).toMatchObject({alreadyRevoked: false, token: {id, state: 'revoked'}})
    expect(await verifyToken(dir, token, {course: 'plo_for_tam', run: 'run-a'})).toEqual({ok: false, status: 401, reason: `token ${id} is revoked`})
    expect((await verifyToken(dir, second, {course: 'plo_for_tam'})).ok).toBe(true)

    const again = await wickerIn(['serve', 'token', 'revoke', dir, id])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`Token ${id} was already revoked`)
    const unknown = await wickerIn(['serve', 'token', 'revoke', dir, 'tok_000000000000', '--json'])
    expect(unknown.code).toBe(2)
    expect(unknown.json).toMatchObject({name: 'E_TOKEN_UNKNOWN', details: {ids: [id, expect.stringMatching(/^tok_/)]}})
    // each --json document is what its committed schema says
    for (const [name, run] of [['create', made], ['list', lists[0]!], ['revoke', revoked]] as const) {
      expect(schemaErrors(`envelope/serve-token-${name}.json`, run.json), name).toEqual([])
    }
    expect(schemaErrors('envelope/error.json', unknown.json)).toEqual([])
  })

  it('ten creates at once, from ten processes: all ten kept, each verifies', async () => {
    const dir = course()
    const runs = await Promise.all(Array.from({length: 10}, () => wickerAsync(['serve', 'token', 'create', dir, '--json'])))
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const listed = (await wickerIn(['serve', 'token', 'list', dir, '--json'])).json.result.tokens.map((t: {id: string}) => t.id).sort()
    expect(listed).toEqual(runs.map((r) => r.json.result.id).sort())
    for (const r of runs) expect((await verifyToken(dir, r.json.result.token)).ok).toBe(true)
  }, 60_000)

  it('a damaged tokens file: every command exits 3 naming it and the way out, no stack trace, the file left as it was', async () => {
    const dir = course()
    expect((await wickerIn(['serve', 'token', 'create', dir])).code).toBe(0)
    const file = join(dir, '.wicker', 'serve-tokens.json')
    const damaged = readFileSync(file, 'utf8').replace(/"sha256": "[0-9a-f]+"/, '"sha256": "zork"')
    writeFileSync(file, damaged)
    for (const args of [['create', dir], ['list', dir], ['revoke', dir, 'tok_000000000000']]) {
      const json = await wickerIn(['serve', 'token', ...args, '--json'])
      expect(json.code, args.join(' ')).toBe(3)
      expect(json.json).toMatchObject({name: 'E_TOKENS_DAMAGED', message: expect.stringContaining(file), hint: expect.stringContaining('Move it aside')})
      expect(json.json.message).toMatch(/tokens\[0\]\.sha256/)
      const human = await wickerIn(['serve', 'token', ...args])
      expect(human.code).toBe(3)
      expect(human.stderr).not.toMatch(STACK_TRACE)
    }
    expect(readFileSync(file, 'utf8')).toBe(damaged)
  })

  it('--expires out of range and a bad --run are usage errors, and nothing is written', async () => {
    const dir = course()
    for (const [flags, pattern] of [[['--expires', '31d'], /1m to 30d/], [['--expires', 'soon'], /not a duration/], [['--run', 'a__b'], /not a run name/]] as const) {
      const run = await wickerIn(['serve', 'token', 'create', dir, ...flags])
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(pattern)
      expect(run.stdout).toBe('')
    }
    expect(existsSync(join(dir, '.wicker'))).toBe(false)
    expect((await wickerIn(['serve', 'token', 'list', dir])).stdout).toContain('No serve tokens')
  })

  it('a live process holding the tokens file\'s lock: create waits, then exits 3 naming it and the way out; once the holder is killed, create clears its lock and works', async () => {
    const dir = course()
    expect((await wickerIn(['serve', 'token', 'create', dir])).code).toBe(0)
    const file = join(dir, '.wicker', 'serve-tokens.json')
    const before = readFileSync(file, 'utf8')
    const load = (f: string) => JSON.stringify(pathToFileURL(join(DIST, f)).href)
    const script = `const {acquireLock} = await import(${load('core/store/lock.js')}); const {realDisk} = await import(${load('core/store/disk.js')}); const {wickerPaths} = await import(${load('core/store/paths.js')}); const paths = wickerPaths(process.argv[1]); await acquireLock(realDisk, {...paths, lock: paths.serveTokensLock}, 'wicker serve token create'); console.log('held'); setInterval(() => {}, 1000)`
    const holder = spawn(process.execPath, ['--input-type=module', '-e', script, dir], {stdio: ['ignore', 'pipe', 'inherit']})
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve())
        holder.once('exit', () => reject(new Error('the holder exited')))
      })
      const blocked = await wickerIn(['serve', 'token', 'create', dir, '--json'])
      expect(blocked.code).toBe(3)
      expect(blocked.json).toMatchObject({name: 'E_LOCK_HELD', message: expect.stringContaining(`pid ${holder.pid}`), hint: expect.stringContaining(join(dir, '.wicker', 'serve-tokens.lock'))})
      expect(blocked.json.hint).not.toMatch(/lock-timeout|wicker unlock/)
      expect(readFileSync(file, 'utf8')).toBe(before)
    } finally {
      holder.kill('SIGKILL')
      await new Promise((resolve) => (holder.exitCode === null ? holder.once('exit', resolve) : resolve(null)))
    }
    const after = await wickerIn(['serve', 'token', 'create', dir, '--json'])
    expect(after.code, after.stderr).toBe(0)
    expect(after.json.warnings.join(' ')).toMatch(/no longer running/)
    expect((await wickerIn(['serve', 'token', 'list', dir, '--json'])).json.result.tokens).toHaveLength(2)
  }, 60_000)
})
