import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {connect} from 'node:net'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../src/core/course/load.js'
import {sha256Hex} from '../../src/core/hash.js'
import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {hostileCorpus} from '../helpers/hostile-corpus.js'
import {startServer} from '../../bench/serve-process.js'
import {basketsFor, stagingCourse} from '../helpers/staging.js'

const STAGING = 'phase5_baskets_staging'
/** what a stack trace in a response body looks like: a frame with a file path, or Node's internals */
const BODY_STACK = /\bat .+\.(?:js|ts):\d+|node:internal/

/** a small seeded PRNG (mulberry32): the fuzzed bodies are the same on every run */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function served(seed: number, extra: string[] = ['--rate', '100000']) {
  const synth = stagingCourse(8, seed)
  const course = await loadCourse(synth.dir)
  // the token made in process; the server is the process here
  const token = (await wickerIn(['serve', 'token', 'create', synth.dir, '--json'])).json.result.token as string
  const server = await startServer(synth.dir, extra)
  const good = basketsFor(course, 5)[0]!
  const body = (salt: string) => JSON.stringify({[good.lego.id]: {practice_phrases: basketsFor(course, 5, salt)[0]!.phrases}})
  const staged = () => (existsSync(join(synth.dir, STAGING)) ? readdirSync(join(synth.dir, STAGING)).sort() : [])
  const put = (name: string, data: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${server.listening.url}/v1/courses/${course.code}/staging/${encodeURIComponent(name)}`, {method: 'PUT', body: data, headers: {authorization: `Bearer ${token}`, ...headers}})
  return {synth, course, token, server, good, body, staged, put}
}

describe('wicker serve under load, cut bodies and fuzzed bodies (a real server on loopback)', () => {
  it('50 clients × 4 uploads, names shared, idempotent retries, some refused: every accepted body in staging byte for byte, once, nothing else', async () => {
    const s = await served(70)
    try {
      type Sent = {name: string; data: string; key?: string; bad?: boolean}
      const plan: Sent[][] = Array.from({length: 50}, (_, c) =>
        Array.from({length: 4}, (_, j) => {
          const bad = c % 10 === 9 && j === 3
          return {name: `mob-${c % 5}-${j}.json`, data: bad ? '{"nub": [' : s.body(` c${c} u${j}`), key: j === 1 ? `k-${c}-${j}` : undefined, bad}
        }),
      )
      const answers = await Promise.all(plan.map(async (uploads) => {
        const got: {sent: Sent; status: number; file?: string}[] = []
        for (const sent of uploads) {
          const headers: Record<string, string> = sent.key ? {'idempotency-key': sent.key} : {}
          const tries = sent.key ? 2 : 1 // an idempotent upload is retried: the second gets the stored answer
          for (let t = 0; t < tries; t++) {
            const res = await s.put(sent.name, sent.data, headers)
            got.push({sent, status: res.status, file: ((await res.json()) as {file?: string}).file})
          }
        }
        return got
      }))
      const all = answers.flat()
      const refused = all.filter((a) => a.sent.bad)
      expect(refused.map((a) => a.status)).toEqual(refused.map(() => 422))
      const accepted = all.filter((a) => !a.sent.bad)
      expect(accepted.every((a) => a.status === 201 || a.status === 200)).toBe(true)
      for (const a of accepted) expect(sha256Hex(readFileSync(join(s.synth.dir, a.file!))), a.file).toBe(sha256Hex(a.sent.data))
      // distinct bodies ↔ distinct files: none overwritten, and nothing else (no temp file, nothing refused) in staging
      const bodies = new Set(accepted.map((a) => a.sent.data))
      const files = new Set(accepted.map((a) => a.file!.slice(STAGING.length + 1)))
      expect(files.size).toBe(bodies.size)
      expect(s.staged()).toEqual([...files].sort())
    } finally {
      s.server.child.kill('SIGTERM')
    }
    const end = await s.server.exited
    expect([end.code, end.stderr]).toEqual([143, expect.not.stringMatching(STACK_TRACE)])
  }, 60_000)

  it('a body cut off mid-way (Content-Length 100000, 1000 bytes sent, socket destroyed) leaves nothing; the server still answers; over --rate is a real 429 with Retry-After', async () => {
    const s = await served(71, ['--rate', '6'])
    try {
      const {port} = s.server.listening
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(`PUT /v1/courses/${s.course.code}/staging/cut.json HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${s.token}\r\nContent-Length: 100000\r\n\r\n`)
          socket.write(`{"${s.good.lego.id}": {"practice_phrases": [${'"a", '.repeat(200)}`)
          setTimeout(() => {
            socket.destroy()
            resolve()
          }, 200)
        })
      })
      await new Promise((r) => setTimeout(r, 200))
      expect(s.staged()).toEqual([])
      // the cut upload took the token's one-upload burst (--rate 6): the next is a 429, written nowhere
      const over = await s.put('after.json', s.body(' af'))
      expect([over.status, over.headers.get('retry-after'), over.headers.get('content-type')]).toEqual([429, expect.stringMatching(/^\d+$/), 'application/problem+json'])
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(s.staged()).toEqual([])
      const status = await fetch(`${s.server.listening.url}/v1/courses/${s.course.code}/status`, {headers: {authorization: `Bearer ${s.token}`}})
      expect(status.status).toBe(200)
    } finally {
      s.server.child.kill('SIGTERM')
    }
    expect((await s.server.exited).code).toBe(143)
  }, 60_000)

  it('~200 fuzzed bodies (the hostile corpus, then seeded mutations of a good basket): 0 5xx, every answer JSON, no stack trace in a body or the server\'s stderr', async () => {
    const s = await served(72, ['--rate', '100000', '--max-body', '65536'])
    const random = prng(12)
    const good = Buffer.from(s.body(' fz'))
    const mutations: [string, Buffer, Record<string, string>][] = []
    const mutate: ((b: Buffer) => Buffer)[] = [
      (b) => b.subarray(0, Math.floor(random() * b.length)),
      (b) => Buffer.from(b.map((x, i) => (random() < 0.02 ? (x ^ (1 << Math.floor(random() * 8))) : x) + 0 * i)),
      () => Buffer.from(`${'['.repeat(5000 + Math.floor(random() * 5000))}`),
      (b) => Buffer.from(b.toString().replace(/"target"/, `"target": 1e${300 + Math.floor(random() * 1000)}, "x"`)),
      (b) => Buffer.concat([b.subarray(0, 20), Buffer.from([0]), b.subarray(20)]),
      (b) => Buffer.concat([b.subarray(0, 30), Buffer.from([0xc3, 0x28, 0xff]), b.subarray(30)]),
      (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
    ]
    for (let i = 0; i < 180; i++) {
      const bytes = mutate[i % mutate.length]!(good)
      const headers: Record<string, string> = i % 9 === 0 ? {'content-type': ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'image/png'][i % 4]!} : {}
      mutations.push([`fz-${i}.json`, bytes, headers])
    }
    for (const [name, [bytes]] of Object.entries(hostileCorpus(s.good.lego.id, s.good))) mutations.push([name.endsWith('.json') ? name : `${name}.json`, Buffer.from(bytes), {}])
    const statuses = new Map<number, number>()
    try {
      for (const [name, bytes, headers] of mutations) {
        const res = await s.put(name, bytes, headers)
        const text = await res.text()
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        expect(res.status, name).toBeLessThan(500)
        expect(() => JSON.parse(text), name).not.toThrow()
        expect(text, name).not.toMatch(BODY_STACK)
        if (res.status < 300) expect(sha256Hex(readFileSync(join(s.synth.dir, JSON.parse(text).file))), name).toBe(sha256Hex(bytes))
      }
    } finally {
      s.server.child.kill('SIGTERM')
    }
    expect(mutations.length).toBeGreaterThanOrEqual(200)
    expect(statuses.get(422)).toBeGreaterThan(100)
    const end = await s.server.exited
    expect(end.code).toBe(143)
    expect(end.stderr).not.toMatch(STACK_TRACE)
    expect(end.stderr).not.toMatch(BODY_STACK)
  }, 60_000)
})
