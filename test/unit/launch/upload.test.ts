import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {appendFileSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {EXIT, UsageError} from '../../../src/core/errors.js'
import {retryAfterMs, UploadRecord, Uploader, uploadSetup} from '../../../src/core/launch/upload.js'
import {tempDir} from '../../helpers/fs.js'

const TOKEN = 'wkr_unit0fake0token0zz7'

const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((resolve) => s.close(resolve))
  }
})

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** `n` staged files in a temp folder, each with its own bytes */
function stagedFiles(n: number): string[] {
  const dir = tempDir()
  return Array.from({length: n}, (_, i) => {
    const file = join(dir, `r1__p${String(i).padStart(15, '0')}__1.json`)
    writeFileSync(file, `{"n": ${i}}\n`)
    return file
  })
}

async function uploader(url: string, signal = new AbortController().signal) {
  const {record} = await UploadRecord.open(join(tempDir(), 'uploads.ndjson'))
  return new Uploader({target: {url, tokenEnv: 'WICKER_TOKEN'}, token: TOKEN, course: 'spa_for_eng', record, signal})
}

describe('uploadSetup', () => {
  it('reads the token from the named variable, and refuses one unset, empty or blank with a usage error naming the variable only', () => {
    expect(uploadSetup('http://127.0.0.1:4750/', 'PEL_TOKEN', {PEL_TOKEN: TOKEN})).toEqual({target: {url: 'http://127.0.0.1:4750', tokenEnv: 'PEL_TOKEN'}, token: TOKEN})
    expect(uploadSetup('https://wicker.example.org', undefined, {WICKER_TOKEN: TOKEN}).target.tokenEnv).toBe('WICKER_TOKEN')
    for (const env of [{}, {PEL_TOKEN: ''}, {PEL_TOKEN: '   '}]) {
      let error: unknown
      try {
        uploadSetup('https://wicker.example.org', 'PEL_TOKEN', {...env, WICKER_TOKEN: TOKEN})
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(UsageError)
      expect((error as UsageError).exitCode).toBe(EXIT.usage)
      expect((error as UsageError).message).toContain('PEL_TOKEN')
      expect(JSON.stringify((error as UsageError).toJSON())).not.toContain(TOKEN)
    }
    expect(() => uploadSetup('ftp://x', null, {WICKER_TOKEN: TOKEN})).toThrow(/ftp is not http or https/)
  })
})

describe('retryAfterMs', () => {
  it('reads whole seconds and an HTTP date, and nothing else', () => {
    const now = Date.parse('2026-12-02T10:00:00Z')
    expect(retryAfterMs('3', now)).toBe(3000)
    expect(retryAfterMs(' 0 ', now)).toBe(0)
    expect(retryAfterMs('Wed, 02 Dec 2026 10:00:07 GMT', now)).toBe(7000)
    expect(retryAfterMs('Wed, 02 Dec 2026 09:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs('soon', now)).toBeNull()
    expect(retryAfterMs(null, now)).toBeNull()
  })
})

describe('Uploader', () => {
  it('never has more than 4 PUTs in flight, and sends each file once however often it is offered', async () => {
    let open = 0
    let most = 0
    const names: string[] = []
    const url = await serve((req, res) => {
      open++
      most = Math.max(most, open)
      names.push(req.url!)
      req.resume().on('end', () =>
        setTimeout(() => {
          open--
          res.writeHead(201, {'content-type': 'application/json'}).end('{}')
        }, 80),
      )
    })
    const up = await uploader(url)
    const files = stagedFiles(10)
    for (const f of [...files, ...files]) up.offer(f)
    const result = await up.drain()
    expect(result).toMatchObject({sent: 10, already: 0, failed: 0})
    expect(most).toBe(4)
    expect(names.sort()).toEqual(files.map((f) => `/v1/courses/spa_for_eng/staging/${f.split('/').pop()}`).sort())
  })

  it('stops at once when launch is stopped: the request in flight is cut, queued files are "not sent"', async () => {
    let arrived = 0
    // a server that never answers
    const url = await serve(() => {
      arrived++
    })
    const stop = new AbortController()
    const up = await uploader(url, stop.signal)
    for (const f of stagedFiles(6)) up.offer(f)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const began = Date.now()
    stop.abort()
    const result = await up.drain()
    expect(Date.now() - began).toBeLessThan(1000)
    expect(arrived).toBe(4)
    expect(result).toMatchObject({sent: 0, failed: 6})
    expect(result.failures.every((f) => f.status === null && f.message === 'not sent: launch was stopped')).toBe(true)
  })

  it('keeps a server\'s echo of the token out of its messages', async () => {
    const url = await serve((req, res) => req.resume().on('end', () => res.writeHead(403, {'content-type': 'application/problem+json'}).end(JSON.stringify({title: 'Token not good for this', detail: `you sent ${req.headers.authorization}`}))))
    const up = await uploader(url)
    up.offer(stagedFiles(1)[0]!)
    const result = await up.drain()
    expect(result.failures).toEqual([{name: expect.any(String), status: 403, message: 'Token not good for this: you sent Bearer [token]'}])
  })
})

describe('UploadRecord', () => {
  it('knows what it was told after a reopen, ignores lines it did not write, and mends a torn last line', async () => {
    const file = join(tempDir(), 'uploads.ndjson')
    const sha = 'a'.repeat(64)
    const first = await UploadRecord.open(file)
    await first.record.add({name: 'x.json', sha256: sha, url: 'http://h/v1/courses/c/staging/x.json', status: 201, at: '2026-12-02T10:00:00Z'})
    appendFileSync(file, '{"name": "y.json", "sha256": "nope"}\n{"name": "z.js')
    const again = await UploadRecord.open(file)
    expect(again.record.has('http://h/v1/courses/c/staging/x.json', sha)).toBe(true)
    expect(again.record.has('http://other/v1/courses/c/staging/x.json', sha)).toBe(false)
    expect(again.record.has('http://h/v1/courses/c/staging/x.json', 'b'.repeat(64))).toBe(false)
    expect(again.warnings).toEqual([expect.stringContaining('line 2 is not an upload record')])
    await again.record.add({name: 'w.json', sha256: sha, url: 'http://h/v1/courses/c/staging/w.json', status: 200, at: '2026-12-02T10:00:01Z'})
    const lines = readFileSync(file, 'utf8').split('\n')
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({name: 'w.json', status: 200})
    expect((await UploadRecord.open(file)).record.has('http://h/v1/courses/c/staging/w.json', sha)).toBe(true)
  })
})
