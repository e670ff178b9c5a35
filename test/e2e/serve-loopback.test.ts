import {request} from 'node:http'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../src/core/course/load.js'
import {STACK_TRACE, wicker} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {schemaErrors} from '../helpers/json-schemas.js'
import {startServer} from '../../bench/serve-process.js'
import {basketsFor, stagingCourse} from '../helpers/staging.js'

const STAGING = 'phase5_baskets_staging'
/** a response's JSON body, as the test reads it */
const json = async (res: Response): Promise<any> => res.json()

describe('wicker serve on loopback', () => {
  it('takes uploads from fetch byte for byte, 20 at once each once, and stops on SIGTERM with 143 and the port closed', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    // tokens are made in process; every serve is a process of its own (it serves until stopped)
    const made = await wickerIn(['serve', 'token', 'create', synth.dir, '--json'])
    expect(made.code, made.stderr).toBe(0)
    const token = made.json.result.token as string
    const lego = basketsFor(course, 5)[0]!.lego.id
    const body = (salt: string) => `${JSON.stringify({[lego]: {practice_phrases: basketsFor(course, 5, salt)[0]!.phrases}}, null, 2)}\n`
    const {child, listening, exited} = await startServer(synth.dir, ['--rate', '100000'])
    try {
      expect(listening.url).toBe(`http://127.0.0.1:${listening.port}`)
      expect(listening.port).toBeGreaterThan(0)
      const put = (name: string, data: string) => fetch(`${listening.url}/v1/courses/${course.code}/staging/${name}`, {method: 'PUT', body: data, headers: {authorization: `Bearer ${token}`}})

      const one = await put('pel.json', body(''))
      expect(one.status).toBe(201)
      expect(readFileSync(join(synth.dir, STAGING, 'pel.json'), 'utf8')).toBe(body(''))

      // 20 clients at once: 10 distinct bodies under one name, and 10 under names of their own
      const sent = Array.from({length: 20}, (_, i) => ({name: i < 10 ? 'mob.json' : `mob-${i}.json`, data: body(` z${i}`)}))
      const answers = await Promise.all(sent.map(async (s) => {
        const res = await put(s.name, s.data)
        return {status: res.status, json: (await json(res)) as {file: string}}
      }))
      expect(answers.map((a) => a.status)).toEqual(sent.map(() => 201))
      const files = answers.map((a) => a.json.file)
      expect(new Set(files).size).toBe(20)
      sent.forEach((s, i) => expect(readFileSync(join(synth.dir, files[i]!), 'utf8')).toBe(s.data))
      // every accepted body is in staging once, and nothing else is there
      const listed = readdirSync(join(synth.dir, STAGING)).sort()
      expect(listed).toEqual([...files.map((f) => f.slice(STAGING.length + 1)), 'pel.json'].sort())

      const status = await fetch(`${listening.url}/v1/courses/${course.code}/status`, {headers: {authorization: `Bearer ${token}`}})
      expect(status.status).toBe(200)
      expect((await json(status)).result.staging.files).toBe(21)
    } finally {
      child.kill('SIGTERM')
    }
    const end = await exited
    expect(end.code, end.stderr).toBe(143)
    expect(end.stderr).not.toMatch(STACK_TRACE)
    expect(JSON.parse(end.stdout)).toEqual({status: 143, result: {url: listening.url, courses: [course.code]}, warnings: []})
    expect(schemaErrors('envelope/serve.json', JSON.parse(end.stdout))).toEqual([])
    await expect(fetch(`${listening.url}/v1/courses/${course.code}/status`)).rejects.toThrow()
  }, 60_000)

  it('refuses a port in use with exit 4 and a hint, and one course given twice with exit 2, no stack trace', async () => {
    const synth = stagingCourse(4, 62)
    const {child, listening, exited} = await startServer(synth.dir)
    try {
      const second = wicker(['serve', synth.dir, '--port', String(listening.port)])
      expect(second.code).toBe(4)
      expect(second.stderr).toContain(`Port ${listening.port}`)
      expect(second.stderr).toContain('--port 0')
      expect(second.stderr).not.toMatch(STACK_TRACE)
      const twice = wicker(['serve', synth.dir, synth.dir, '--port', '0'])
      expect([twice.code, twice.stderr]).toEqual([2, expect.stringContaining('Serve each course once')])
      const json = wicker(['serve', synth.dir, '--port', String(listening.port), '--json'])
      expect([json.code, json.json?.name, schemaErrors('envelope/error.json', json.json)]).toEqual([4, 'E_PORT_TAKEN', []])
    } finally {
      child.kill('SIGINT')
    }
    expect((await exited).code).toBe(130)
  }, 60_000)

  /** A PUT whose body goes out in two halves, by hand: what happens between them is the test's. */
  function halfUpload(url: string, path: string, token: string, data: string) {
    const bytes = Buffer.from(data)
    const req = request(`${url}${path}`, {method: 'PUT', headers: {authorization: `Bearer ${token}`, 'content-length': String(bytes.length)}})
    const answer = new Promise<{status: number; body: string} | {error: string}>((resolve) => {
      req.once('response', (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (d: string) => (body += d)).once('end', () => resolve({status: res.statusCode!, body}))
      })
      req.once('error', (error) => resolve({error: error.message}))
    })
    req.write(bytes.subarray(0, bytes.length >> 1))
    return {answer, rest: () => req.end(bytes.subarray(bytes.length >> 1)), cut: () => req.destroy()}
  }

  it('on SIGTERM lets an upload in flight finish (201, the file whole), then exits 143', async () => {
    const synth = stagingCourse(8, 63)
    const course = await loadCourse(synth.dir)
    const token = (await wickerIn(['serve', 'token', 'create', synth.dir, '--json'])).json.result.token as string
    const data = JSON.stringify({[basketsFor(course, 5)[0]!.lego.id]: {practice_phrases: basketsFor(course, 5)[0]!.phrases}})
    const {child, listening, exited} = await startServer(synth.dir)
    const upload = halfUpload(listening.url, `/v1/courses/${course.code}/staging/tav.json`, token, data)
    await new Promise((r) => setTimeout(r, 300))
    child.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 300))
    upload.rest()
    expect(await upload.answer).toMatchObject({status: 201})
    expect(readFileSync(join(synth.dir, STAGING, 'tav.json'), 'utf8')).toBe(data)
    expect((await exited).code).toBe(143)
  }, 60_000)

  it('leaves nothing in staging for a body cut off mid-way, or one slower than --request-timeout (408)', async () => {
    const synth = stagingCourse(8, 64)
    const course = await loadCourse(synth.dir)
    const token = (await wickerIn(['serve', 'token', 'create', synth.dir, '--json'])).json.result.token as string
    const data = JSON.stringify({[basketsFor(course, 5)[0]!.lego.id]: {practice_phrases: basketsFor(course, 5)[0]!.phrases}})
    const {child, listening, exited} = await startServer(synth.dir, ['--request-timeout', '1s'])
    try {
      const cut = halfUpload(listening.url, `/v1/courses/${course.code}/staging/cut.json`, token, data)
      await new Promise((r) => setTimeout(r, 200))
      cut.cut()
      const slow = halfUpload(listening.url, `/v1/courses/${course.code}/staging/slow.json`, token, data)
      expect(await slow.answer).toMatchObject({status: 408})
      slow.rest()
      // the server is still there and well
      const res = await fetch(`${listening.url}/v1/courses/${course.code}/status`, {headers: {authorization: `Bearer ${token}`}})
      expect(res.status).toBe(200)
      const staging = join(synth.dir, STAGING)
      expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([])
    } finally {
      child.kill('SIGTERM')
    }
    expect((await exited).code).toBe(143)
  }, 60_000)
})
