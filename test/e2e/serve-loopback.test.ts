import {spawn} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../src/core/course/load.js'
import {BIN, STACK_TRACE, wicker} from '../helpers/cli.js'
import {basketsFor, stagingCourse} from '../helpers/staging.js'

const STAGING = 'phase5_baskets_staging'

/** `wicker serve DIR --port 0 --json` from the built bin, and the port it printed on stderr */
async function startServer(dir: string) {
  const child = spawn(process.execPath, [BIN, 'serve', dir, '--port', '0', '--json'], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  const listening = await new Promise<{url: string; port: number}>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      const line = stderr.split('\n').find((l) => l.startsWith('{"type":"listening"'))
      if (line) resolve(JSON.parse(line))
    })
    child.once('exit', (code) => reject(new Error(`wicker serve exited ${code}: ${stderr}`)))
  })
  const exited = new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) => child.once('exit', (code) => resolve({code, stdout, stderr})))
  return {child, listening, exited}
}

describe('wicker serve on loopback', () => {
  it('takes uploads from fetch byte for byte, 20 at once each once, and stops on SIGTERM with 143 and the port closed', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    const made = wicker(['serve', 'token', 'create', synth.dir, '--json'])
    expect(made.code, made.stderr).toBe(0)
    const token = made.json.result.token as string
    const lego = basketsFor(course, 5)[0]!.lego.id
    const body = (salt: string) => `${JSON.stringify({[lego]: {practice_phrases: basketsFor(course, 5, salt)[0]!.phrases}}, null, 2)}\n`
    const {child, listening, exited} = await startServer(synth.dir)
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
        return {status: res.status, json: (await res.json()) as {file: string}}
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
      expect((await status.json()).result.staging.files).toBe(21)
    } finally {
      child.kill('SIGTERM')
    }
    const end = await exited
    expect(end.code, end.stderr).toBe(143)
    expect(end.stderr).not.toMatch(STACK_TRACE)
    expect(JSON.parse(end.stdout)).toEqual({status: 143, result: {url: listening.url, courses: [course.code]}, warnings: []})
    await expect(fetch(`${listening.url}/v1/courses/${course.code}/status`)).rejects.toThrow()
  }, 60_000)

  it('refuses a port in use with exit 4 and a hint, no stack trace', async () => {
    const synth = stagingCourse(4, 62)
    const {child, listening, exited} = await startServer(synth.dir)
    try {
      const second = wicker(['serve', synth.dir, '--port', String(listening.port)])
      expect(second.code).toBe(4)
      expect(second.stderr).toContain(`Port ${listening.port}`)
      expect(second.stderr).toContain('--port 0')
      expect(second.stderr).not.toMatch(STACK_TRACE)
    } finally {
      child.kill('SIGINT')
    }
    expect((await exited).code).toBe(130)
  }, 60_000)
})
