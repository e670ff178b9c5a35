import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {wicker} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {filesContaining} from '../helpers/fs.js'
import {preparedCopy} from '../helpers/prepared-run.js'
import {alive} from '../helpers/procs.js'

/**
 * `launch --agent openai-compatible` against a fake chat-completions server on 127.0.0.1 (node:http):
 * every request is kept, and each test says what the server answers.
 */
const FAST = ['--stagger', '0s', '--backoff', '100ms', '--grace', '300ms']
const STAGING = 'phase5_baskets_staging'
/** invented: the fake server only compares it */
const KEY = 'sk-fakevorp0kelm9trisk0for0tests0only'

interface Call {
  at: number
  auth: string | undefined
  url: string
  body: any
}

type Answer = {status: number; headers?: Record<string, string>; body?: unknown} | 'hang' | 'dribble'

async function fakeServer(answer: (call: Call, nth: number) => Answer) {
  const calls: Call[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = ''
    req.setEncoding('utf8').on('data', (d: string) => (text += d))
    req.on('end', () => {
      const call: Call = {at: Date.now(), auth: req.headers.authorization, url: req.url ?? '', body: JSON.parse(text)}
      calls.push(call)
      const got = answer(call, calls.length)
      if (got === 'hang') return // headers never come
      if (got === 'dribble') {
        // a slow stream: the headers, then a byte now and then, never the end
        res.writeHead(200, {'content-type': 'application/json'})
        const timer = setInterval(() => res.write(' '), 200)
        res.on('close', () => clearInterval(timer))
        return
      }
      res.writeHead(got.status, {'content-type': 'application/json', ...got.headers})
      res.end(typeof got.body === 'string' ? got.body : JSON.stringify(got.body ?? {}))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return {calls, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`}
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections()
          s.close(() => resolve())
        }),
    ),
  )
})

/** The LEGO ids a prompt lists (its "## The LEGOs" section), for an answer without a schema to read them from. */
function promptLegos(prompt: string): string[] {
  const section = prompt.slice(prompt.indexOf('## The LEGOs'), prompt.indexOf('## Their seeds'))
  return [...section.matchAll(/^- (\S+) \(/gm)].map((m) => m[1]!)
}

/** A chat completion holding a worker output with a basket of invented phrases for each LEGO. */
function completion(call: Call, o: {fenced?: boolean; finish?: string} = {}) {
  const ids = call.body.response_format ? Object.keys(call.body.response_format.json_schema.schema.properties.baskets.properties) : promptLegos(call.body.messages.at(-1).content)
  const packet = /packet (p[0-9a-f]{15})/.exec(call.body.messages.at(-1).content)![1]
  const doc = {course: 'pel', packet, baskets: Object.fromEntries(ids.map((id, i) => [id, {practice_phrases: [{known: `vorp ${i}`, target: `klem ${i}`}, {known: `vorp trisk ${i}`, target: `klem dazo ${i}`}]}]))}
  const text = JSON.stringify(doc)
  return {
    status: 200,
    body: {id: 'chatcmpl-1', object: 'chat.completion', model: call.body.model, choices: [{index: 0, message: {role: 'assistant', content: o.fenced ? `Here it is:\n\`\`\`json\n${text}\n\`\`\`` : text}, finish_reason: o.finish ?? 'stop'}], usage: {prompt_tokens: 1234, completion_tokens: 567, total_tokens: 1801}},
  }
}

/** Each size of course prepared once per file; every test gets a copy of its own (8 seeds: 6 packets, where "every packet" is what is asserted). */
const prepared = (seeds: number) => preparedCopy('wicker-oai-', seeds)

const launch = (dir: string, url: string, extra: string[] = [], env: Record<string, string | undefined> = {OPENAI_API_KEY: KEY}) =>
  wickerIn(['launch', dir, '--run', 'r1', '--agent', 'openai-compatible', '--base-url', url, '--model', 'tlon-7b', ...FAST, '--json', ...extra], {env})

const ledger = (dir: string) =>
  readFileSync(join(dir, '.wicker', 'runs', 'r1', 'ledger.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
const ends = (dir: string) => ledger(dir).filter((e) => e.event === 'end')

const holdingKey = (dir: string) => filesContaining(dir, KEY)

/** Forbidden in a provider-safe schema, at any depth. */
const UNSAFE = ['$ref', '$defs', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'pattern', 'format', 'oneOf', 'default', '$schema']

/** Every problem of a schema a strict-mode provider would reject, by JSON path. */
function unsafeParts(schema: any, path = '$'): string[] {
  const problems: string[] = []
  if (schema === null || typeof schema !== 'object') return problems
  for (const key of UNSAFE) if (key in schema) problems.push(`${path}: has ${key}`)
  if (schema.type === 'object') {
    const keys = Object.keys(schema.properties ?? {})
    if (schema.additionalProperties !== false) problems.push(`${path}: additionalProperties is not false`)
    if (JSON.stringify([...(schema.required ?? [])].sort()) !== JSON.stringify([...keys].sort())) problems.push(`${path}: not every property is required`)
    for (const k of keys) problems.push(...unsafeParts(schema.properties[k], `${path}.${k}`))
  }
  if (schema.items) problems.push(...unsafeParts(schema.items, `${path}[]`))
  for (const s of schema.anyOf ?? []) problems.push(...unsafeParts(s, `${path}|`))
  return problems
}

describe('launch --agent openai-compatible against a fake chat-completions server on 127.0.0.1', () => {
  it('stages a valid output for every packet of the course, with response_format holding a provider-safe schema of the packet\'s LEGOs; the key is in no file', async () => {
    const {dir, packets} = await prepared(8)
    const fake = await fakeServer((call) => completion(call))
    const run = await launch(dir, fake.url, ['-j', '2'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.json.result.packets).toMatchObject({total: packets.length, ok: packets.length, failed: 0})
    expect(fake.calls).toHaveLength(packets.length)
    for (const call of fake.calls) {
      expect(call.url).toBe('/v1/chat/completions')
      expect(call.auth).toBe(`Bearer ${KEY}`)
      expect(call.body.model).toBe('tlon-7b')
      const packet = /packet (p[0-9a-f]{15})/.exec(call.body.messages[1].content)![1]
      // the user message is the rendered prompt, whole
      expect(call.body.messages.map((m: any) => m.role)).toEqual(['system', 'user'])
      expect(call.body.messages[1].content).toBe(readFileSync(join(dir, '.wicker', 'runs', 'r1', 'prompts', `${packet}.md`), 'utf8'))
      expect(call.body.response_format).toMatchObject({type: 'json_schema', json_schema: {name: 'wicker_worker_output', strict: true}})
      const schema = call.body.response_format.json_schema.schema
      expect(unsafeParts(schema)).toEqual([])
      const lego = JSON.parse(readFileSync(join(dir, '.wicker', 'runs', 'r1', 'packets', `${packet}.json`), 'utf8')).legos.map((l: any) => l.id)
      expect(Object.keys(schema.properties.baskets.properties)).toEqual(lego)
    }
    const staged = readdirSync(join(dir, STAGING)).filter((f) => f.startsWith('r1__'))
    expect(staged).toHaveLength(packets.length)
    // the server's usage is each attempt's tokens
    expect(ends(dir).map((e) => [e.class, e.agent, e.tokens])).toEqual(packets.map(() => ['ok', 'openai-compatible', {input: 1234, output: 567}]))
    // what extract reads of staging: every packet's baskets
    const extract = await wickerIn(['extract', dir, '--json'])
    expect(extract.code, extract.stderr).toBe(0)
    expect(holdingKey(dir)).toEqual([])
  }, 60_000)

  it('--no-schema sends no response_format and asks for the JSON alone; a fenced answer is read all the same', async () => {
    const {dir} = await prepared(4)
    const fake = await fakeServer((call) => completion(call, {fenced: true}))
    const run = await launch(dir, fake.url, ['--no-schema', '--only', '1'])
    expect(run.code, run.stderr).toBe(0)
    expect(fake.calls).toHaveLength(1)
    expect(fake.calls[0]!.body).not.toHaveProperty('response_format')
    expect(fake.calls[0]!.body.messages[0]).toMatchObject({role: 'system', content: expect.stringMatching(/JSON document alone/)})
    expect(run.json.result.staged).toHaveLength(1)
  }, 60_000)

  it('a 429 with Retry-After pauses for exactly that long, then the packet succeeds', async () => {
    const {dir} = await prepared(4)
    const fake = await fakeServer((call, nth) => (nth === 1 ? {status: 429, headers: {'retry-after': '1'}, body: {error: {message: 'Rate limit reached for tlon-7b', type: 'requests'}}} : completion(call)))
    const run = await launch(dir, fake.url, ['--only', '1', '--retries', '0'])
    expect(run.code, run.stderr).toBe(0)
    expect(fake.calls).toHaveLength(2)
    // --backoff is 100ms: a pause this long is the Retry-After's
    const gap = fake.calls[1]!.at - fake.calls[0]!.at
    expect(gap).toBeGreaterThanOrEqual(950)
    expect(gap).toBeLessThan(3500)
    expect(ends(dir).map((e) => e.class)).toEqual(['rate-limited', 'ok'])
    expect(ends(dir)[0].message).toMatch(/HTTP 429.*Rate limit reached/)
  }, 60_000)

  it('a 401 is never retried and stops the run (auth, exit 1); the key the server echoes is blotted out of the ledger and logs', async () => {
    const {dir, packets} = await prepared(8)
    expect(packets.length).toBeGreaterThan(1)
    const fake = await fakeServer((call) => ({status: 401, body: {error: {message: `Incorrect API key provided: ${call.auth}`, type: 'invalid_request_error', code: 'invalid_api_key'}}}))
    const run = await launch(dir, fake.url, ['-j', '1', '--retries', '3'])
    expect(run.code, run.stderr).toBe(1)
    expect(fake.calls).toHaveLength(1)
    expect(run.json.result.halted).toMatch(/auth/)
    expect(run.json.result.failures).toEqual([expect.objectContaining({class: 'auth', message: expect.stringMatching(/HTTP 401.*Incorrect API key provided: Bearer \[key\]/)})])
    expect(run.json.result.packets.notStarted).toBe(packets.length - 1)
    expect(holdingKey(dir)).toEqual([])
    expect(run.stdout + run.stderr).not.toContain(KEY)
  }, 60_000)

  it('a 500 is a crash, retried: the second request succeeds', async () => {
    const {dir} = await prepared(4)
    const fake = await fakeServer((call, nth) => (nth === 1 ? {status: 500, body: {error: {message: 'the model runner fell over'}}} : completion(call)))
    const run = await launch(dir, fake.url, ['--only', '1', '--retries', '1'])
    expect(run.code, run.stderr).toBe(0)
    expect(fake.calls).toHaveLength(2)
    expect(ends(dir).map((e) => [e.class, e.message])).toEqual([['crash', expect.stringMatching(/HTTP 500.*fell over/)], ['ok', 'output valid']])
  }, 60_000)

  it('an answer whose output does not check is invalid output and retried, though its usage says 401 tokens (no auth guessed from numbers)', async () => {
    const {dir} = await prepared(4)
    const fake = await fakeServer((call, nth) => (nth === 1 ? {status: 200, body: {choices: [{message: {content: '{"course": "pel", "packet": "x", "baskets": {}}'}, finish_reason: 'stop'}], usage: {prompt_tokens: 401, completion_tokens: 429}}} : completion(call)))
    const run = await launch(dir, fake.url, ['--only', '1', '--retries', '1'])
    expect(run.code, run.stderr).toBe(0)
    expect(ends(dir).map((e) => [e.class, e.tokens])).toEqual([['invalid-output', {input: 401, output: 429}], ['ok', {input: 1234, output: 567}]])
    expect(ends(dir)[0].message).toMatch(/no basket for/)
  }, 60_000)

  it('an answer cut at the output limit (finish_reason "length") is invalid output, with a message', async () => {
    const {dir} = await prepared(4)
    const fake = await fakeServer((call) => completion(call, {finish: 'length'}))
    const run = await launch(dir, fake.url, ['--only', '1', '--retries', '0'])
    expect(run.code).toBe(1)
    expect(fake.calls).toHaveLength(1)
    expect(ends(dir).map((e) => [e.class, e.message])).toEqual([['invalid-output', expect.stringMatching(/cut off.*finish_reason "length"/)]])
  }, 60_000)

  it('an answer past 16 MiB is refused unread (invalid output), not held in memory whole', async () => {
    const {dir} = await prepared(4)
    const fake = await fakeServer(() => ({status: 200, body: `{"choices": [{"message": {"content": "${'vorp '.repeat(3.5 * 1024 ** 2)}"}}]}`}))
    const run = await launch(dir, fake.url, ['--only', '1', '--retries', '0'])
    expect(run.code).toBe(1)
    expect(ends(dir).map((e) => [e.class, e.message])).toEqual([['invalid-output', 'the answer is larger than 16 MiB: not read']])
  }, 60_000)

  it('a server that sends its headers and then dribbles forever is stopped by --timeout: the agent process is gone, the attempt is a timeout', async () => {
    const {dir} = await prepared(4)
    const fake = await fakeServer(() => 'dribble')
    const run = await launch(dir, fake.url, ['--only', '1', '--retries', '0', '--timeout', '3s', '--idle-timeout', '30s'])
    expect(run.code).toBe(1)
    expect(fake.calls).toHaveLength(1)
    const end = ends(dir)[0]
    expect([end.class, end.message]).toEqual(['timeout', 'ran too long (--timeout)'])
    expect(end.durationMs).toBeGreaterThanOrEqual(2900)
    expect(end.durationMs).toBeLessThan(8000)
    expect(alive(end.pid)).toBe(false)
  }, 60_000)

  // the agent process needs a few hundred ms to start and send on a busy machine: the limits leave it that
  it('a server that never answers is stopped by --timeout too', async () => {
    const {dir} = await prepared(4)
    const fake = await fakeServer(() => 'hang')
    const run = await launch(dir, fake.url, ['--only', '1', '--retries', '0', '--timeout', '3s'])
    expect(run.code).toBe(1)
    expect(fake.calls).toHaveLength(1)
    expect(ends(dir)[0].class).toBe('timeout')
    expect(alive(ends(dir)[0].pid)).toBe(false)
  }, 60_000)

  it('a prompt over --max-context is refused without a request (over-context, not retried)', async () => {
    const {dir} = await prepared(4)
    const fake = await fakeServer((call) => completion(call))
    const run = await launch(dir, fake.url, ['--only', '1', '--retries', '3', '--max-context', '50'])
    expect(run.code).toBe(1)
    expect(fake.calls).toHaveLength(0)
    expect(run.json.result.attempts).toBe(1)
    expect(run.json.result.failures).toEqual([expect.objectContaining({class: 'over-context', message: expect.stringMatching(/about \d+ tokens, over --max-context 50: not sent/)})])
    // a limit the prompt fits in sends it
    const fits = await launch(dir, fake.url, ['--only', '1', '--max-context', '100000'])
    expect(fits.code, fits.stderr).toBe(0)
    expect(fake.calls).toHaveLength(1)
  }, 60_000)

  it('refuses a --base-url that is not http(s) (exit 2, nothing sent), warns for plain http to another machine, and --dry-run shows the settings but never the key', async () => {
    const {dir} = await prepared(4)
    const ftp = await wickerIn(['launch', dir, '--agent', 'openai-compatible', '--base-url', 'ftp://127.0.0.1/v1', '--model', 'tlon-7b', '--json'])
    expect(ftp.code).toBe(2)
    expect(ftp.json).toMatchObject({name: 'E_BASE_URL', message: expect.stringMatching(/ftp is not http or https/)})
    const missing = await wickerIn(['launch', dir, '--agent', 'openai-compatible', '--base-url', 'http://127.0.0.1:9/v1', '--json'])
    expect([missing.code, missing.json.name]).toEqual([2, 'E_OPENAI_FLAGS'])
    const elsewhere = await wickerIn(['launch', dir, '--agent', 'openai-compatible', '--base-url', 'http://10.11.12.13:8000/v1/', '--model', 'tlon-7b', '--dry-run', '--json'], {env: {OPENAI_API_KEY: KEY}})
    expect(elsewhere.code, elsewhere.stderr).toBe(0)
    expect(elsewhere.json.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/plain http to another machine: every prompt and the API key/)]))
    expect(elsewhere.json.result.invocations[0].env).toMatchObject({WICKER_OPENAI_BASE_URL: 'http://10.11.12.13:8000/v1', WICKER_OPENAI_MODEL: 'tlon-7b', WICKER_OPENAI_API_KEY_ENV: 'OPENAI_API_KEY', WICKER_OPENAI_SCHEMA: 'json-schema'})
    // node and the agent's script: no setting, and never the key, in the argument vector
    expect(elsewhere.json.result.invocations[0].args).toEqual([expect.stringMatching(/dist\/agent\/openai-compatible\.js$/)])
    expect(elsewhere.stdout).not.toContain(KEY)
    const loopback = await wickerIn(['launch', dir, '--agent', 'openai-compatible', '--base-url', 'http://127.0.0.1:8000/v1', '--model', 'tlon-7b', '--dry-run', '--json'])
    expect(loopback.json.warnings.filter((w: string) => /plain http/.test(w))).toEqual([])
    const named = await wickerIn(['launch', dir, '--agent', 'openai-compatible', '--base-url', 'https://api.example.invalid/v1', '--model', 'm', '--api-key-env', 'TLON_KEY', '--json'], {env: {TLON_KEY: undefined}})
    expect([named.code, named.json.name]).toEqual([2, 'E_API_KEY'])
    const wrongAgent = await wickerIn(['launch', dir, '--base-url', 'http://127.0.0.1:8000/v1', '--json'])
    expect([wrongAgent.code, wrongAgent.json.name]).toEqual([2, 'E_AGENT_FLAG'])
  }, 60_000)
})
