import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {BIN} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {fakeBatchServer, type FakeBatchServer, type ResultKind} from '../helpers/fake-batch.js'
import {filesContaining} from '../helpers/fs.js'
import {preparedCopy} from '../helpers/prepared-run.js'

/**
 * `launch --agent anthropic-batch` and `--agent openai-batch` against a fake of each provider's batch
 * API on 127.0.0.1 (test/helpers/fake-batch.ts), which counts every batch created: a request is paid
 * for once it is in a created batch, so that count is what "never paid twice" is measured by.
 */
const FAST = ['--stagger', '0s', '--backoff', '100ms', '--poll-interval', '50ms']
const STAGING = 'phase5_baskets_staging'
/** invented: the fake server only compares it */
const KEY = 'sk-ant-fakevorp0kelm9trisk0batch0tests'

const servers: FakeBatchServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function fake(o: Parameters<typeof fakeBatchServer>[0]) {
  const s = await fakeBatchServer(o)
  servers.push(s)
  return s
}

/** Each size of course prepared once per file; every test gets a copy of its own. */
const prepared = (seeds: number) => preparedCopy('wicker-batch-', seeds)

const ENV_OF = {anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY'} as const
const args = (provider: 'anthropic' | 'openai', dir: string, url: string, extra: string[] = []) => ['launch', dir, '--run', 'r1', '--agent', `${provider}-batch`, '--base-url', url, '--model', 'tlon-7b', ...FAST, '--json', ...extra]
// in this process (the fake API answers while it runs): no Node start and oclif load per launch; the
// cases that kill or stop a launch start one of its own
const launch = (provider: 'anthropic' | 'openai', dir: string, url: string, extra: string[] = []) => wickerIn(args(provider, dir, url, extra), {env: {[ENV_OF[provider]]: KEY}})

const ledgerFile = (dir: string) => join(dir, '.wicker', 'runs', 'r1', 'ledger.ndjson')
const ledger = (dir: string) =>
  existsSync(ledgerFile(dir))
    ? readFileSync(ledgerFile(dir), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l))
    : []
const ends = (dir: string) => ledger(dir).filter((e) => e.event === 'end')
const staged = (dir: string) => (existsSync(join(dir, STAGING)) ? readdirSync(join(dir, STAGING)).filter((f) => f.startsWith('r1__')) : [])

const holdingKey = (dir: string) => filesContaining(dir, KEY)

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe.each(['anthropic', 'openai'] as const)('launch --agent %s-batch against a fake batch API on 127.0.0.1', (provider) => {
  it('sends every packet in one batch (custom_id = packet and attempt), stages every output, counts tokens at the batch price; the key is in no file', async () => {
    const {dir, packets} = await prepared(12)
    const api = await fake({provider, key: KEY, pollsToEnd: 3})
    const run = await launch(provider, dir, api.url)
    expect(run.code, run.stderr).toBe(0)
    expect(run.json.result.packets).toMatchObject({total: packets.length, ok: packets.length, failed: 0})
    expect(api.created).toHaveLength(1)
    expect(api.created[0]!.customIds.sort()).toEqual(packets.map((p) => `${p.id}-1`).sort())
    const req = api.created[0]!.requests[0]
    const packet = req.custom_id.replace(/-1$/, '')
    const prompt = readFileSync(join(dir, '.wicker', 'runs', 'r1', 'prompts', `${packet}.md`), 'utf8')
    if (provider === 'anthropic') {
      expect(req.params).toMatchObject({model: 'tlon-7b', messages: [{role: 'user', content: prompt}], tool_choice: {type: 'tool', name: 'wicker_worker_output'}})
      expect(req.params.tools[0].input_schema.additionalProperties).toBe(false)
    } else {
      expect(req).toMatchObject({method: 'POST', url: '/v1/chat/completions', body: {model: 'tlon-7b', response_format: {type: 'json_schema', json_schema: {name: 'wicker_worker_output', strict: true}}}})
      expect(req.body.messages[1]).toEqual({role: 'user', content: prompt})
    }
    expect(staged(dir)).toHaveLength(packets.length)
    // 3,000 in and 1,600 out at half of the default list price
    const each = provider === 'anthropic' ? ((3000 * 3 + 1600 * 15) / 1e6) * 0.5 : ((3000 * 2 + 1600 * 8) / 1e6) * 0.5
    expect(ends(dir).map((e) => [e.class, e.agent, e.tokens])).toEqual(packets.map(() => ['ok', `${provider}-batch`, {input: 3000, output: 1600}]))
    for (const e of ends(dir)) expect(e.costUsd).toBeCloseTo(each, 10)
    expect(run.json.result.costUsd).toBeCloseTo(each * packets.length, 8)
    // the batch id went into each start entry
    const starts = ledger(dir).filter((e) => e.event === 'start')
    expect(new Set(starts.map((e) => e.batch.id))).toEqual(new Set([api.created[0]!.id]))
    // progress: the counts as the batch went
    const events = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((e) => e.type === 'batch')
    expect(events.at(-1)).toMatchObject({batch: api.created[0]!.id, counts: {succeeded: packets.length, processing: 0}})
    expect((await wickerIn(['extract', dir, '--json'])).code).toBe(0)
    expect(holdingKey(dir)).toEqual([])
  }, 90_000)

  it('errored, expired and canceled requests (and an output that does not check) are sent again as one smaller batch, and then succeed', async () => {
    const {dir, packets} = await prepared(20)
    expect(packets.length).toBeGreaterThanOrEqual(5)
    const bad: ResultKind[] = ['errored', 'expired', 'canceled', 'garbage']
    const kindOf = new Map(packets.slice(0, 4).map((p, i) => [`${p.id}-1`, bad[i]!]))
    const api = await fake({provider, key: KEY, result: (id) => kindOf.get(id) ?? 'succeeded'})
    const run = await launch(provider, dir, api.url, ['--retries', '1'])
    expect(run.code, run.stderr).toBe(0)
    expect(api.created.map((c) => c.customIds.length)).toEqual([packets.length, 4])
    expect(api.created[1]!.customIds.sort()).toEqual(packets.slice(0, 4).map((p) => `${p.id}-2`).sort())
    expect(staged(dir)).toHaveLength(packets.length)
    const first = new Map(ends(dir).filter((e) => e.attempt === 1).map((e) => [e.packet, e]))
    expect(packets.slice(0, 4).map((p) => first.get(p.id).class)).toEqual(['crash', 'crash', 'crash', 'invalid-output'])
    expect(first.get(packets[1]!.id).message).toMatch(/expired/)
    expect(first.get(packets[2]!.id).message).toMatch(/cancel/)
    expect(run.json.result.packets).toMatchObject({ok: packets.length, failed: 0})
  }, 90_000)

  it('a 429 with Retry-After on create waits that long and sends it again; a 500 while polling is polled through', async () => {
    const {dir, packets} = await prepared(8)
    const api = await fake({provider, key: KEY})
    api.failNext({route: 'create', status: 429, headers: {'retry-after': '1'}, body: {error: {message: 'rate limited'}}})
    api.failNext({route: 'retrieve', status: 500})
    const run = await launch(provider, dir, api.url)
    expect(run.code, run.stderr).toBe(0)
    const creates = api.calls.filter((c) => c.route === 'create')
    expect(creates.map((c) => c.status)).toEqual([429, 200])
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(900)
    expect(api.calls.filter((c) => c.route === 'retrieve').map((c) => c.status)[0]).toBe(500)
    expect(api.created).toHaveLength(1)
    expect(staged(dir)).toHaveLength(packets.length)
  }, 90_000)

  it('a 401 creates nothing, is not retried, and stops the run (exit 1); the key is in no file', async () => {
    const {dir} = await prepared(8)
    const api = await fake({provider, key: `${KEY}-other`})
    const run = await launch(provider, dir, api.url, ['--retries', '3'])
    expect(run.code, run.stderr).toBe(1)
    expect(run.json.result.halted).toMatch(/auth.*HTTP 401/)
    expect(api.created).toHaveLength(0)
    expect(api.calls).toHaveLength(1)
    expect(holdingKey(dir)).toEqual([])
    expect(run.stdout + run.stderr).not.toContain(KEY)
  }, 90_000)

  it('killed (SIGKILL) once its batch is created, then started again: polls the same batch, creates none, and stages every output', async () => {
    const {dir, packets} = await prepared(12)
    const api = await fake({provider, key: KEY, hold: true})
    const child = spawn(process.execPath, [BIN, ...args(provider, dir, api.url)], {env: {...process.env, [ENV_OF[provider]]: KEY, NO_COLOR: '1'}, stdio: 'ignore'})
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    // the proof the batch exists: the server created it and the ledger names it for every packet
    await until('the batch and its ledger entries', () => api.created.length === 1 && ledger(dir).filter((e) => e.event === 'start' && e.batch?.id === api.created[0]!.id).length === packets.length)
    await until('a poll', () => api.calls.some((c) => c.route === 'retrieve'))
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    expect(staged(dir)).toHaveLength(0)
    api.release()
    const again = await launch(provider, dir, api.url)
    expect(again.code, again.stderr).toBe(0)
    // no request paid twice: still one batch, one request per packet
    expect(api.created).toHaveLength(1)
    expect(api.created[0]!.customIds).toHaveLength(packets.length)
    expect(api.calls.filter((c) => c.route === 'create')).toHaveLength(1)
    expect(staged(dir)).toHaveLength(packets.length)
    expect(again.json.result.packets).toMatchObject({ok: packets.length, failed: 0})
    expect(ends(dir).map((e) => [e.attempt, e.class])).toEqual(packets.map(() => [1, 'ok']))
    // and a third launch has nothing to do
    const third = await launch(provider, dir, api.url)
    expect(third.code, third.stderr).toBe(0)
    expect(third.json.result.packets).toMatchObject({skipped: packets.length})
    expect(api.created).toHaveLength(1)
  }, 90_000)

  it('stopped (SIGTERM) while it polls: exit 143, the batch left open in the ledger (no interrupted entry closes it), and the next launch reads it', async () => {
    const {dir, packets} = await prepared(8)
    const api = await fake({provider, key: KEY, hold: true})
    const child = spawn(process.execPath, [BIN, ...args(provider, dir, api.url)], {env: {...process.env, [ENV_OF[provider]]: KEY, NO_COLOR: '1'}, stdio: 'ignore'})
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    await until('a poll', () => api.calls.some((c) => c.route === 'retrieve'))
    child.kill('SIGTERM')
    expect(await exited).toBe(143)
    expect(ledger(dir).filter((e) => e.event !== 'start')).toEqual([])
    api.release()
    const again = await launch(provider, dir, api.url)
    expect(again.code, again.stderr).toBe(0)
    expect(api.created).toHaveLength(1)
    expect(staged(dir)).toHaveLength(packets.length)
  }, 90_000)
})

describe('launch --agent openai-batch: a batch that fails as a whole', () => {
  it('fails each of its packets with the provider\'s reason, retried in a new batch up to --retries, then exit 1', async () => {
    const {dir, packets} = await prepared(8)
    const api = await fake({provider: 'openai', key: KEY, failBatch: true})
    const run = await launch('openai', dir, api.url, ['--retries', '1', '--halt', 'never'])
    expect(run.code, run.stderr).toBe(1)
    expect(api.created.map((c) => c.customIds.length)).toEqual([packets.length, packets.length])
    expect(run.json.result.packets).toMatchObject({failed: packets.length, ok: 0})
    expect(run.json.result.failures[0].message).toMatch(/failed as a whole: invented: line 1 is not valid/)
    expect(ends(dir).map((e) => e.class)).toEqual([...packets, ...packets].map(() => 'crash'))
    expect(staged(dir)).toEqual([])
  }, 90_000)
})

describe('launch with a batch agent: mistakes told before anything is sent', () => {
  it('no key in ANTHROPIC_API_KEY, and --dry-run, are exit 2 with what to do; nothing is written to the ledger', async () => {
    const {dir} = await prepared(4)
    const noKey = await wickerIn(['launch', dir, '--run', 'r1', '--agent', 'anthropic-batch', '--model', 'm', '--json'], {env: {ANTHROPIC_API_KEY: undefined}})
    expect(noKey.code).toBe(2)
    expect(noKey.json).toMatchObject({name: 'E_API_KEY', message: expect.stringMatching(/ANTHROPIC_API_KEY: that environment variable is not set/)})
    const dry = await wickerIn(['launch', dir, '--run', 'r1', '--agent', 'openai-batch', '--model', 'm', '--dry-run', '--json'], {env: {OPENAI_API_KEY: KEY}})
    expect(dry.code).toBe(2)
    expect(dry.json).toMatchObject({name: 'E_DRY_RUN'})
    expect(existsSync(ledgerFile(dir))).toBe(false)
  }, 60_000)
})
