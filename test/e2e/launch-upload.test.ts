import {spawn} from 'node:child_process'
import {createServer, request, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {startServer} from '../../bench/serve-process.js'
import {BIN, STACK_TRACE, wickerAsync} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'
import {schemaErrors} from '../helpers/json-schemas.js'
import {until} from '../helpers/procs.js'

const BUILTIN = fileURLToPath(new URL('../../dist/agent/builtin.js', import.meta.url))
const FAST = ['--stagger', '0s', '--backoff', '100ms', '--grace', '300ms']
/** --upload-backoff of every upload here: waits of 200, 400, 800 ms instead of 1, 2, 4 s */
const UPLOAD_BACKOFF_MS = 200
const STAGING = 'phase5_baskets_staging'
/** invented: the fake servers only compare it; a real serve's token is made with `serve token create` */
const TOKEN = 'wkr_fake0tok3n0for0the0tests0only0x9q'

/** A course prepared in `shards` shards (run r1), with the code the PUT URLs name: prepared once per file, each test gets a copy. */
const templates = new Map<string, {synth: ReturnType<typeof generateCourse>; dir: string; code: string}>()
async function prepared(seeds: number, shards: number, seed = 71) {
  const key = `${seeds} ${shards} ${seed}`
  let template = templates.get(key)
  if (!template) {
    const synth = generateCourse({seeds, seed, canon: {fill: 0}})
    const dir = writeCourse(tempDir('wicker-up-'), synth)
    // in process: the prepare is not what this file tests
    const prep = await wickerIn(['prepare-segments', dir, '--run', 'r1', '--packet-size', '4', '--shards', String(shards), '--json'])
    expect(prep.code, prep.stderr).toBe(0)
    template = {synth, dir, code: JSON.parse(readFileSync(join(dir, '.wicker', 'runs', 'r1', 'plan.json'), 'utf8')).course as string}
    templates.set(key, template)
  }
  const dir = join(tempDir('wicker-up-'), basename(template.dir))
  cpSync(template.dir, dir, {recursive: true})
  return {...template, dir}
}

/** Every file below `root` (recursively) with its bytes. */
function allFiles(root: string): Array<{path: string; bytes: Buffer}> {
  const out: Array<{path: string; bytes: Buffer}> = []
  for (const name of readdirSync(root, {withFileTypes: true})) {
    const path = join(root, name.name)
    if (name.isDirectory()) out.push(...allFiles(path))
    else if (name.isFile()) out.push({path, bytes: readFileSync(path)})
  }
  return out
}

const localFiles = (dir: string) => Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))

interface Put {
  name: string
  at: number
  auth: string | undefined
  type: string | undefined
  body: string
}

/** A stand-in for wicker serve on 127.0.0.1: every PUT is kept; `answer` says what each gets (status, headers, body). */
async function fakeServer(answer: (put: Put, nth: number) => {status: number; headers?: Record<string, string>; body?: unknown}, port = 0) {
  const puts: Put[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.setEncoding('utf8').on('data', (d: string) => (body += d))
    req.on('end', () => {
      const put: Put = {name: decodeURIComponent((req.url ?? '').split('/').pop() ?? ''), at: Date.now(), auth: req.headers.authorization, type: req.headers['content-type'], body}
      if (req.method === 'PUT') puts.push(put)
      const got = answer(put, puts.filter((p) => p.name === put.name).length)
      const type = got.status >= 400 ? 'application/problem+json' : 'application/json'
      res.writeHead(got.status, {'content-type': type, ...got.headers})
      res.end(JSON.stringify(got.body ?? {}))
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  servers.push(server)
  const at = (server.address() as AddressInfo).port
  const count = (name: string) => puts.filter((p) => p.name === name).length
  return {puts, count, port: at, url: `http://127.0.0.1:${at}`, close: () => closeServer(server)}
}

const servers: Server[] = []
const closeServer = (server: Server) => new Promise<void>((resolve) => {
  server.closeAllConnections()
  server.close(() => resolve())
})
afterEach(async () => {
  await Promise.all(servers.splice(0).filter((s) => s.listening).map(closeServer))
})

/** A port nobody listens on (taken, then freed). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const launchArgs = (dir: string, shard: string, staging: string, upload: string, extra: string[] = []) => ['launch', dir, '--run', 'r1', '--shard', shard, '--staging', staging, ...FAST, '-j', '2', '--upload', upload, '--upload-backoff', `${UPLOAD_BACKOFF_MS}ms`, '--json', ...extra]
/** A launch in this process (the fake servers answer while it runs): no Node start and oclif load per launch. */
const launch = (dir: string, shard: string, staging: string, upload: string, env: Record<string, string | undefined> = {WICKER_TOKEN: TOKEN}, extra: string[] = []) => wickerIn(launchArgs(dir, shard, staging, upload, extra), {env})
/** A launch as a process of its own: two shards at once, as two machines would run them. */
const launchProcess = (dir: string, shard: string, staging: string, upload: string, env: Record<string, string | undefined>) => wickerAsync(launchArgs(dir, shard, staging, upload), {env})

describe('launch --upload to a real wicker serve on loopback', () => {
  it('puts every output of both shards into the served course\'s staging, the same bytes as staged here; running again sends nothing', async () => {
    // 8 seeds: 6 packets, 3 a shard (the test needs 4 outputs or more)
    const {synth, dir, code} = await prepared(8, 2)
    // the server's machine has its own copy of the course
    const served = writeCourse(tempDir('wicker-served-'), synth)
    const made = await wickerIn(['serve', 'token', 'create', served, '--json'])
    expect(made.code, made.stderr).toBe(0)
    const token = made.json.result.token as string
    const {child, listening, exited} = await startServer(served, ['--rate', '100000'])
    // every request passes through this counter on its way to the server
    const seen: string[] = []
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      const out = request(`${listening.url}${req.url}`, {method: req.method, headers: req.headers}, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers)
        answer.pipe(res)
      })
      req.pipe(out)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    servers.push(proxy)
    const via = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const work = tempDir('wicker-up-out-')
    const out = (i: number) => join(work, `shard-${i}`)
    try {
      const runs = await Promise.all([1, 2].map((i) => launchProcess(dir, `${i}/2`, out(i), `${via}/`, {WICKER_TOKEN: token})))
      const staged = {...localFiles(out(1)), ...localFiles(out(2))}
      runs.forEach((r, i) => {
        expect(r.code, r.stderr).toBe(0)
        expect(schemaErrors('envelope/launch.json', r.json)).toEqual([])
        expect(r.json.result.uploads).toEqual({url: via, sent: Object.keys(localFiles(out(i + 1))).length, already: 0, failed: 0, failures: []})
      })
      expect(Object.keys(staged).length).toBeGreaterThanOrEqual(4)
      // the served staging holds exactly the outputs staged on the launching side, byte for byte
      expect(localFiles(join(served, STAGING))).toEqual(staged)
      expect(seen.sort()).toEqual(Object.keys(staged).map((n) => `PUT /v1/courses/${code}/staging/${n}`).sort())

      // again: every packet is done and every output delivered, so not one request goes out (one shard
      // after the other, in this process: nothing runs side by side this time)
      const mtimes = readdirSync(join(served, STAGING)).map((f) => statSync(join(served, STAGING, f)).mtimeMs)
      const again = [await launch(dir, '1/2', out(1), via, {WICKER_TOKEN: token}), await launch(dir, '2/2', out(2), via, {WICKER_TOKEN: token})]
      again.forEach((r, i) => {
        expect(r.code, r.stderr).toBe(0)
        expect(r.json.result.packets.skipped).toBe(r.json.result.packets.total)
        expect(r.json.result.uploads).toMatchObject({sent: 0, already: Object.keys(localFiles(out(i + 1))).length, failed: 0})
      })
      expect(seen).toHaveLength(Object.keys(staged).length)
      expect(readdirSync(join(served, STAGING)).map((f) => statSync(join(served, STAGING, f)).mtimeMs)).toEqual(mtimes)
      // what was delivered is recorded beside each shard's ledger: one line per file, never the token
      for (const i of [1, 2]) {
        const record = readFileSync(join(dir, '.wicker', 'runs', 'r1', 'shards', `${i}-of-2`, 'uploads.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
        expect(record.map((e) => e.name).sort()).toEqual(Object.keys(localFiles(out(i))).sort())
        expect(record.every((e) => e.status === 201 && e.url === `${via}/v1/courses/${code}/staging/${e.name}`)).toBe(true)
      }
      for (const f of allFiles(join(dir, '.wicker'))) expect(f.bytes.includes(token), f.path).toBe(false)
    } finally {
      child.kill('SIGTERM')
    }
    await exited
  }, 90_000)
})

describe('launch --upload against a fake server', () => {
  it('waits for Retry-After after a 429, then delivers (201)', async () => {
    const {dir} = await prepared(6, 2, 72)
    const fake = await fakeServer((_, nth) => (nth === 1 ? {status: 429, headers: {'retry-after': '1'}, body: {title: 'Too many uploads', status: 429}} : {status: 201}))
    const staging = join(tempDir(), 'out')
    const r = await launch(dir, '1/2', staging, fake.url)
    expect(r.code, r.stderr).toBe(0)
    const names = Object.keys(localFiles(staging))
    expect(names.length).toBeGreaterThan(0)
    expect(r.json.result.uploads).toMatchObject({sent: names.length, failed: 0})
    for (const name of names) {
      const mine = fake.puts.filter((p) => p.name === name)
      expect(mine).toHaveLength(2)
      // Retry-After's second, not --upload-backoff's 200 ms
      expect(mine[1]!.at - mine[0]!.at).toBeGreaterThanOrEqual(950)
      expect(mine[1]!.body).toBe(readFileSync(join(staging, name), 'utf8'))
      expect([mine[1]!.auth, mine[1]!.type]).toEqual([`Bearer ${TOKEN}`, 'application/json'])
    }
  }, 60_000)

  it('retries a 500 with a growing wait and delivers on the third try', async () => {
    const {dir} = await prepared(6, 2, 72)
    const fake = await fakeServer((_, nth) => (nth <= 2 ? {status: 500, body: {title: 'Internal error'}} : {status: 201}))
    const staging = join(tempDir(), 'out')
    const r = await launch(dir, '2/2', staging, fake.url)
    expect(r.code, r.stderr).toBe(0)
    const names = Object.keys(localFiles(staging))
    expect(r.json.result.uploads).toMatchObject({sent: names.length, failed: 0, failures: []})
    for (const name of names) {
      const at = fake.puts.filter((p) => p.name === name).map((p) => p.at)
      expect(at).toHaveLength(3)
      // --upload-backoff, doubled: the waits are the flag's, not the 1 s default's
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(UPLOAD_BACKOFF_MS - 10)
      expect(at[1]! - at[0]!).toBeLessThan(950)
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(2 * UPLOAD_BACKOFF_MS - 10)
    }
  }, 60_000)

  it('takes a 401 as final: no retry, exit 1, a warning with the server\'s words, and the token nowhere, not even in the agent\'s environment', async () => {
    const {dir} = await prepared(6, 2, 72)
    const fake = await fakeServer(() => ({status: 401, headers: {'www-authenticate': 'Bearer'}, body: {title: 'Token refused', status: 401, detail: 'unknown token for course pel'}}))
    // an agent that prints its whole environment (into launch's logs), then does the built-in agent's work
    const agent = join(tempDir(), 'env-agent.mjs')
    writeFileSync(agent, `import {spawnSync} from 'node:child_process'\nconsole.error(JSON.stringify(process.env))\nprocess.exit(spawnSync(process.execPath, [${JSON.stringify(BUILTIN)}], {stdio: 'inherit'}).status ?? 1)\n`)
    const staging = join(tempDir(), 'out')
    const r = await launch(dir, '1/2', staging, fake.url, {WICKER_TOKEN: TOKEN}, ['--agent', 'command', '--agent-cmd', JSON.stringify([process.execPath, agent])])
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).not.toMatch(STACK_TRACE)
    expect(schemaErrors('envelope/launch.json', r.json)).toEqual([])
    const names = Object.keys(localFiles(staging))
    expect(r.json.result.packets).toMatchObject({ok: names.length, failed: 0})
    expect(r.json.result.uploads).toMatchObject({sent: 0, failed: names.length})
    expect(r.json.result.uploads.failures).toContainEqual({name: expect.any(String), status: 401, message: 'Token refused: unknown token for course pel'})
    expect(r.json.warnings.join('\n')).toContain('Token refused: unknown token for course pel')
    expect(r.json.warnings.join('\n')).toContain('run the same command again')
    // never retried, and after the first refusals the rest are not even tried
    for (const name of names) expect(fake.count(name)).toBeLessThanOrEqual(1)
    expect(fake.puts.length).toBeLessThanOrEqual(4)
    expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN)
    const logs = allFiles(join(dir, '.wicker'))
    expect(logs.some((f) => f.path.endsWith('.stderr') && f.bytes.includes('WICKER_RUN'))).toBe(true)
    for (const f of logs) expect(f.bytes.includes(TOKEN), f.path).toBe(false)

    // the human output: one line with the counts, each failure with its status
    const human = await wickerIn(['launch', dir, '--run', 'r1', '--shard', '1/2', '--staging', staging, ...FAST, '--upload', fake.url], {env: {WICKER_TOKEN: TOKEN}})
    expect(human.code).toBe(1)
    expect(human.stdout).toMatch(new RegExp(`Uploads to ${fake.url}: 0 sent, 0 already delivered, ${names.length} failed\\. Run the same command again to send them\\.`))
    expect(human.stdout).toContain('401 ')
    expect(`${human.stdout}${human.stderr}`).not.toContain(TOKEN)
  }, 60_000)

  it('stages everything while the server is down (exit 1), then sends only what was not delivered, each once', async () => {
    const {dir} = await prepared(10, 2, 75)
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const staging = join(tempDir(), 'out')
    const down = await launch(dir, '1/2', staging, url)
    expect(down.code, down.stderr).toBe(1)
    expect(down.stderr).not.toMatch(STACK_TRACE)
    const names = Object.keys(localFiles(staging)).sort()
    expect(names.length).toBeGreaterThanOrEqual(2)
    // the agents' work is safe: every packet ok and staged here
    expect(down.json.result.packets).toMatchObject({ok: names.length, failed: 0})
    expect(down.json.result.uploads).toMatchObject({sent: 0, already: 0, failed: names.length})
    expect(down.json.result.uploads.failures.some((f: {status: number | null; message: string}) => f.status === null && f.message.includes('ECONNREFUSED'))).toBe(true)

    // up again, but it refuses one file for now (422: not retried)
    const refused = names[0]!
    let refuse = true
    const fake = await fakeServer((put) => (refuse && put.name === refused ? {status: 422, body: {title: 'Upload refused', detail: `${refused} would not be read`}} : {status: 201}), port)
    const up = await launch(dir, '1/2', staging, url)
    expect(up.code, up.stderr).toBe(1)
    expect(up.json.result.packets.skipped).toBe(names.length)
    expect(up.json.result.uploads).toMatchObject({sent: names.length - 1, already: 0, failed: 1, failures: [{name: refused, status: 422, message: `Upload refused: ${refused} would not be read`}]})
    expect(names.map((n) => fake.count(n))).toEqual(names.map(() => 1))

    refuse = false
    const last = await launch(dir, '1/2', staging, url)
    expect(last.code, last.stderr).toBe(0)
    expect(last.json.result.uploads).toMatchObject({sent: 1, already: names.length - 1, failed: 0})
    expect(names.map((n) => fake.count(n))).toEqual(names.map((n) => (n === refused ? 2 : 1)))
    for (const n of names) expect(fake.puts.filter((p) => p.name === n).at(-1)!.body).toBe(readFileSync(join(staging, n), 'utf8'))
  }, 90_000)
})

describe('launch --upload, stopped', () => {
  it('Ctrl-C while the server does not answer stops the uploads too: exit 130 at once, the outputs staged here', async () => {
    const {dir} = await prepared(6, 2, 72)
    const server = createServer(() => undefined)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
    const staging = join(tempDir(), 'out')
    const child = spawn(process.execPath, [BIN, 'launch', dir, '--run', 'r1', '--shard', '1/2', '--staging', staging, ...FAST, '--upload', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--json'], {env: {...process.env, WICKER_TOKEN: TOKEN, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    const ended = new Promise<number | null>((resolve) => child.once('exit', resolve))
    // every packet's end is on stderr as an event; then only the (hanging) uploads are left
    let ends = 0
    let total = -1
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      for (const line of d.split('\n').filter((l) => l.startsWith('{'))) {
        const e = JSON.parse(line)
        if (e.type === 'plan') total = e.todo.length
        if (e.type === 'end') ends++
      }
    })
    await until(() => total > 0 && ends === total, 20_000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const began = Date.now()
    child.kill('SIGINT')
    expect(await ended).toBe(130)
    expect(Date.now() - began).toBeLessThan(5000)
    const result = JSON.parse(stdout).result
    expect(result.packets.ok).toBe(total)
    expect(Object.keys(localFiles(staging))).toHaveLength(total)
    expect(result.uploads).toMatchObject({sent: 0, failed: total})
    expect(result.uploads.failures.every((f: {message: string}) => f.message === 'not sent: launch was stopped')).toBe(true)
  }, 60_000)
})

describe('launch --upload: bad input', () => {
  it('refuses a URL that is not http(s), a token variable unset or empty, a bad --upload-backoff, and --token-env or --upload-backoff alone: exit 2, no stack trace, nothing started', async () => {
    const {dir} = await prepared(4, 2, 76)
    const shards = join(dir, '.wicker', 'runs', 'r1', 'shards')
    const cases: Array<{args: string[]; env: Record<string, string | undefined>; says: RegExp}> = [
      {args: ['--upload', 'ftp://x'], env: {WICKER_TOKEN: TOKEN}, says: /ftp is not http or https/},
      {args: ['--upload', 'http://127.0.0.1:9'], env: {WICKER_TOKEN: undefined}, says: /environment variable WICKER_TOKEN, which is not set/},
      {args: ['--upload', 'http://127.0.0.1:9', '--token-env', 'PEL_TOKEN'], env: {PEL_TOKEN: '', WICKER_TOKEN: TOKEN}, says: /environment variable PEL_TOKEN, which is empty/},
      {args: ['--token-env', 'PEL_TOKEN'], env: {PEL_TOKEN: TOKEN}, says: /--upload/},
      {args: ['--upload', 'http://127.0.0.1:9', '--upload-backoff', 'soon'], env: {WICKER_TOKEN: TOKEN}, says: /--upload-backoff soon is not a duration/},
      {args: ['--upload-backoff', '1s'], env: {WICKER_TOKEN: TOKEN}, says: /--upload/},
    ]
    for (const c of cases) {
      const r = await wickerIn(['launch', dir, '--run', 'r1', '--shard', '1/2', ...FAST, ...c.args], {env: c.env})
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toMatch(c.says)
      expect(r.stderr).not.toMatch(STACK_TRACE)
      expect(r.stderr).not.toContain(TOKEN)
      expect(existsSync(shards)).toBe(false)
      expect(existsSync(join(dir, STAGING))).toBe(false)
    }
    const json = await wickerIn(['launch', dir, '--run', 'r1', '--upload', 'http://127.0.0.1:9', '--json'], {env: {WICKER_TOKEN: undefined}})
    expect([json.code, json.json.name, json.json.details, schemaErrors('envelope/error.json', json.json)]).toEqual([2, 'E_UPLOAD_TOKEN', {variable: 'WICKER_TOKEN'}, []])
  })
})
