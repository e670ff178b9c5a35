import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'

import {sha256Hex} from '../../../src/core/hash.js'
import {idempotencyStore} from '../../../src/core/serve/idempotency.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {tempDir} from '../../helpers/fs.js'
import {startRacers} from '../../helpers/race.js'

const HOLDER = fileURLToPath(new URL('../../helpers/idempotency-holder.mjs', import.meta.url))
const bodyA = sha256Hex('{"S0001L01": "vorlu"}')
const bodyB = sha256Hex('{"S0001L01": "gamtre"}')

/** A real process that began `key` and holds it in flight; resolves once begin has answered. */
function holder(course: string, key: string, body: string): Promise<{pid: number; begun: unknown; kill: () => Promise<void>}> {
  const child = spawn(process.execPath, [HOLDER, course, key, body, 'hold'], {stdio: ['ignore', 'pipe', 'inherit']})
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.stdout.once('data', (line: Buffer) =>
      resolve({
        pid: child.pid!,
        begun: JSON.parse(line.toString()),
        kill: () => new Promise<void>((done) => {
          child.once('exit', () => done())
          child.kill('SIGKILL')
        }),
      }),
    )
  })
}

describe('Idempotency-Key store', () => {
  it('answers new, then in-flight, then the stored answer; another body is a conflict', async () => {
    const course = tempDir()
    const store = idempotencyStore(course)
    expect(await store.begin('7f0c-zeb', bodyA)).toEqual({state: 'new', expired: false})
    expect(await store.begin('7f0c-zeb', bodyA)).toEqual({state: 'in-flight'})
    expect(await store.begin('7f0c-zeb', bodyB)).toEqual({state: 'conflict'})
    await store.finish('7f0c-zeb', {status: 201, body: {file: 'x.json'}})
    expect(await store.begin('7f0c-zeb', bodyA)).toEqual({state: 'replay', response: {status: 201, body: {file: 'x.json'}}})
    expect(await store.begin('7f0c-zeb', bodyB)).toEqual({state: 'conflict'})
    // stored by the key's hash: the key itself is never a file name
    expect(readdirSync(wickerPaths(course).serveIdempotency)).toEqual([sha256Hex('7f0c-zeb')])
  })

  it('lets a key that could not be answered be tried again', async () => {
    const store = idempotencyStore(tempDir())
    expect(await store.begin('k1', bodyA)).toMatchObject({state: 'new'})
    await store.abandon('k1')
    expect(await store.begin('k1', bodyB)).toMatchObject({state: 'new'})
  })

  it('refuses keys that are empty, too long or hold other characters, as a usage error', async () => {
    const store = idempotencyStore(tempDir())
    for (const key of ['', 'k'.repeat(256), 'a b', 'zeb\u0000', 'é', '"q"']) {
      await expect(store.begin(key, bodyA), JSON.stringify(key)).rejects.toMatchObject({code: 'E_IDEMPOTENCY_KEY', exitCode: 2})
    }
    // allowed characters, though it looks like a path: the key is hashed, never a file name
    expect(await store.begin('../x', bodyA)).toMatchObject({state: 'new'})
  })

  it('keeps answers across a restart (another process answered it)', () => {
    const course = tempDir()
    const run = () => JSON.parse(spawnSync(process.execPath, [HOLDER, course, 'restart-key', bodyA, 'finish'], {encoding: 'utf8'}).stdout) as {state: string; response?: {body: {by: number}}}
    expect(run()).toEqual({state: 'new', expired: false})
    const again = run()
    expect(again.state).toBe('replay')
    expect(again.response?.body.by).toBeGreaterThan(0)
  })

  it('reports in-flight while the answering process lives, and lets the key expire once it is killed', async () => {
    const course = tempDir()
    const held = await holder(course, 'kill-key', bodyA)
    expect(held.begun).toEqual({state: 'new', expired: false})
    const store = idempotencyStore(course)
    expect(await store.begin('kill-key', bodyA)).toEqual({state: 'in-flight'})
    await held.kill()
    expect(await store.begin('kill-key', bodyA)).toEqual({state: 'new', expired: true})
    await store.finish('kill-key', {status: 201})
    expect(await store.begin('kill-key', bodyA)).toEqual({state: 'replay', response: {status: 201}})
    // the expired attempt is cleared: one record is left
    expect(readdirSync(join(wickerPaths(course).serveIdempotency, sha256Hex('kill-key')))).toEqual(['2.json'])
  })

  it('refuses a record changed by hand, naming the file and the fix', async () => {
    const course = tempDir()
    const store = idempotencyStore(course)
    await store.begin('hand', bodyA)
    const file = join(wickerPaths(course).serveIdempotency, sha256Hex('hand'), '1.json')
    expect(existsSync(file)).toBe(true)
    writeFileSync(file, '{"kind": "wicker/serve-idempotency", "version": 1}')
    await expect(idempotencyStore(course).begin('hand', bodyA)).rejects.toMatchObject({code: 'E_IDEMPOTENCY_RECORD', exitCode: 2, message: expect.stringContaining(file), hint: expect.stringContaining('remove')})
  })
})

describe('many processes beginning one key at once', () => {
  const course = tempDir()
  const base = tempDir()
  const RACERS = 12
  for (const [t, key] of ['fresh-key', 'expired-key'].entries()) {
    mkdirSync(join(base, `t${t}`))
    writeFileSync(join(base, `t${t}`, 'key'), key)
    writeFileSync(join(base, `t${t}`, 'body'), bodyA)
  }
  const script = fileURLToPath(new URL('../../helpers/idempotency-racer.mjs', import.meta.url))
  const racers = startRacers(script, RACERS, (i) => [base, String(i), '2', course])
  afterAll(() => racers.stop())
  type Outcome = {state: string; expired?: boolean; error?: string}

  it('gives "new" to exactly one of them, "in-flight" to the others', async () => {
    const outcomes = await racers.trial<Outcome>(join(base, 't0'))
    expect(outcomes.filter((o) => o.state === 'new')).toEqual([{state: 'new', expired: false}])
    expect(outcomes.filter((o) => o.state === 'in-flight')).toHaveLength(RACERS - 1)
  })

  it('lets exactly one of them take over a marker left by a killed process', async () => {
    const held = await holder(course, 'expired-key', bodyA)
    await held.kill()
    const outcomes = await racers.trial<Outcome>(join(base, 't1'))
    expect(outcomes.filter((o) => o.state === 'new')).toEqual([{state: 'new', expired: true}])
    expect(outcomes.filter((o) => o.state === 'in-flight')).toHaveLength(RACERS - 1)
    expect(readdirSync(join(wickerPaths(course).serveIdempotency, sha256Hex('expired-key')))).toEqual(['2.json'])
  })
})
