import {existsSync, readdirSync, readFileSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {sha256Hex} from '../../../src/core/hash.js'
import {makeApp} from '../../../src/core/serve/server.js'
import {createToken, revokeToken} from '../../../src/core/serve/tokens.js'
import {runStatus} from '../../../src/core/status/status.js'
import {tempDir} from '../../helpers/fs.js'
import {hostileCorpus} from '../../helpers/hostile-corpus.js'
import {basketsFor, stagingCourse} from '../../helpers/staging.js'

const STAGING = 'phase5_baskets_staging'
/** a response's JSON body, as the test reads it */
const json = async (res: Response): Promise<any> => res.json()
const HOUR = 3_600_000

describe('wicker serve routes, in-process', async () => {
  const synth = stagingCourse()
  const course = await loadCourse(synth.dir)
  const other = stagingCourse(6, 61)
  const app = await makeApp([{course, cwd: synth.dir}], {maxBody: 4096, ratePerMinute: 100_000})
  const token = (await createToken(course.dir, {course: course.code, run: null, expiresMs: HOUR})).result.token
  const lego = basketsFor(course, 5)[0]!.lego.id
  const body = (salt = '') => JSON.stringify({[lego]: {practice_phrases: basketsFor(course, 5, salt)[0]!.phrases}})
  const staged = () => (existsSync(join(course.dir, STAGING)) ? readdirSync(join(course.dir, STAGING)).sort() : [])
  const put = (name: string, data: string | Buffer, headers: Record<string, string> = {}) =>
    app.request(`/v1/courses/${course.code}/staging/${name}`, {method: 'PUT', body: data, headers: {authorization: `Bearer ${token}`, ...headers}})

  it('writes an accepted body byte for byte (201), says 200 for the same bytes again, and gives other bytes their own name', async () => {
    const first = await put('vok.json', body())
    expect(first.status).toBe(201)
    expect(await json(first)).toEqual({file: `${STAGING}/vok.json`, sha256: sha256Hex(body()), bytes: Buffer.byteLength(body()), requested: null})
    expect(readFileSync(join(course.dir, STAGING, 'vok.json'), 'utf8')).toBe(body())
    const again = await put('vok.json', body())
    expect([again.status, (await json(again)).file]).toEqual([200, `${STAGING}/vok.json`])
    const second = await put('vok.json', body(' ra'))
    expect([second.status, await json(second)]).toEqual([201, expect.objectContaining({file: `${STAGING}/vok.2.json`, requested: 'vok.json'})])
    expect(staged()).toEqual(['vok.2.json', 'vok.json'])
  })

  it('refuses without a token (401 + WWW-Authenticate), with a revoked one (401), with another course\'s (403), and writes nothing', async () => {
    const before = staged()
    const none = await app.request(`/v1/courses/${course.code}/staging/nob.json`, {method: 'PUT', body: body(' ne')})
    expect([none.status, none.headers.get('www-authenticate'), none.headers.get('content-type')]).toEqual([401, expect.stringMatching(/^Bearer/), 'application/problem+json'])
    const made = (await createToken(course.dir, {course: course.code, run: null, expiresMs: HOUR})).result
    await revokeToken(course.dir, made.id)
    const revoked = await put('nob.json', body(' ne'), {authorization: `Bearer ${made.token}`})
    expect([revoked.status, (await json(revoked)).detail]).toEqual([401, expect.stringContaining('revoked')])
    const foreign = (await createToken(course.dir, {course: 'ita_for_eng', run: null, expiresMs: HOUR})).result.token
    const wrong = await put('nob.json', body(' ne'), {authorization: `Bearer ${foreign}`})
    expect(wrong.status).toBe(403)
    expect(staged()).toEqual(before)
  })

  it('answers 404 for a course it does not serve, even with a good token of that course', async () => {
    const theirs = (await createToken(other.dir, {course: 'spa_for_eng', run: null, expiresMs: HOUR})).result.token
    const res = await app.request('/v1/courses/deu_for_eng/staging/a.json', {method: 'PUT', body: body(), headers: {authorization: `Bearer ${theirs}`}})
    expect([res.status, (await json(res)).detail]).toEqual([404, expect.stringContaining('spa_for_eng')])
  })

  it('refuses a body over --max-body with 413 and writes nothing', async () => {
    const before = staged()
    const res = await put('big.json', Buffer.alloc(5000, 0x20))
    expect([res.status, res.headers.get('content-type')]).toEqual([413, 'application/problem+json'])
    expect(staged()).toEqual(before)
  })

  it('refuses a body extract would not read with a 422 problem naming each problem and its JSON path', async () => {
    const before = staged()
    const bad = JSON.stringify({[lego]: {practice_phrases: [{known: 'zup', target: 7}]}})
    const res = await put('bad.json', bad)
    expect([res.status, res.headers.get('content-type')]).toEqual([422, 'application/problem+json'])
    const got = await json(res)
    expect(got).toMatchObject({type: expect.any(String), title: expect.any(String), status: 422, detail: expect.stringContaining('bad.json')})
    expect(got.problems.length).toBeGreaterThan(0)
    expect(got.problems.some((p: {path: string | null}) => typeof p.path === 'string' && p.path.startsWith('$'))).toBe(true)
    const name = await put('..%2Fup.json', body(' zo'))
    expect(name.status).toBe(422)
    expect(staged()).toEqual(before)
  })

  it('replays an Idempotency-Key with the same body, 422 with another body, 400 for a malformed key', async () => {
    const key = 'a1b2c3d4-kel'
    const first = await put('idem.json', body(' ki'), {'idempotency-key': key})
    expect(first.status).toBe(201)
    const firstBody = await json(first)
    const replay = await put('idem.json', body(' ki'), {'idempotency-key': key})
    expect([replay.status, await json(replay), replay.headers.get('idempotent-replayed')]).toEqual([201, firstBody, 'true'])
    const conflict = await put('idem.json', body(' ku'), {'idempotency-key': key})
    expect([conflict.status, conflict.headers.get('content-type')]).toEqual([422, 'application/problem+json'])
    const malformed = await put('idem.json', body(' ku'), {'idempotency-key': 'no spaces allowed'})
    expect([malformed.status, (await json(malformed)).detail]).toEqual([400, expect.stringContaining('Idempotency-Key')])
    expect(staged().filter((n) => n.startsWith('idem'))).toEqual(['idem.json'])
  })

  it('answers 409 while a request with the same key is in flight', async () => {
    const {idempotencyStore} = await import('../../../src/core/serve/idempotency.js')
    // a live holder of the key: this very process began it and has not finished
    const begun = await idempotencyStore(course.dir).begin('held-key', sha256Hex(body(' he')))
    expect(begun.state).toBe('new')
    const res = await put('held.json', body(' he'), {'idempotency-key': 'held-key'})
    expect([res.status, res.headers.get('retry-after')]).toEqual([409, '1'])
    expect(staged()).not.toContain('held.json')
  })

  it('GET status returns what `wicker status --json` returns, behind the token', async () => {
    const res = await app.request(`/v1/courses/${course.code}/status`, {headers: {authorization: `Bearer ${token}`}})
    expect(res.status).toBe(200)
    const {result} = await runStatus({course: course.dir, cwd: synth.dir, warnings: []})
    expect(await json(res)).toEqual({status: 0, result: JSON.parse(JSON.stringify(result)), warnings: []})
    expect((await app.request(`/v1/courses/${course.code}/status`)).status).toBe(401)
  })

  it('answers an unknown route with a 404 problem, never a stack', async () => {
    const res = await app.request('/nowhere')
    expect([res.status, res.headers.get('content-type')]).toEqual([404, 'application/problem+json'])
    expect(await res.text()).not.toMatch(/\bat .+:\d+:\d+/)
  })

  it('answers 500 with no stack when the course side fails (staging is a symlink out of the course), tells the log, and writes nothing', async () => {
    const planted = stagingCourse(6, 65)
    const outside = tempDir()
    symlinkSync(outside, join(planted.dir, STAGING))
    const plantedCourse = await loadCourse(planted.dir)
    const logged: string[] = []
    const planter = await makeApp([{course: plantedCourse, cwd: planted.dir}], {maxBody: 4096, onError: (line) => logged.push(line)})
    const own = (await createToken(planted.dir, {course: plantedCourse.code, run: null, expiresMs: HOUR})).result.token
    const data = JSON.stringify({[basketsFor(plantedCourse, 2)[0]!.lego.id]: {practice_phrases: basketsFor(plantedCourse, 2)[0]!.phrases}})
    const res = await planter.request(`/v1/courses/${plantedCourse.code}/staging/sym.json`, {method: 'PUT', body: data, headers: {authorization: `Bearer ${own}`}})
    const text = await res.text()
    expect([res.status, res.headers.get('content-type')]).toEqual([500, 'application/problem+json'])
    expect(text).not.toMatch(/\bat .+:\d+:\d+/)
    expect(logged).toEqual([expect.stringContaining(`PUT /v1/courses/${plantedCourse.code}/staging/sym.json`)])
    expect(readdirSync(outside)).toEqual([])
  })

  it('answers every body of the hostile corpus with a 422 naming the problem extract reports (413 when too large), never a 500, and writes none', async () => {
    const small = await makeApp([{course, cwd: synth.dir}], {maxBody: 2048, ratePerMinute: 100_000})
    const before = staged()
    const good = basketsFor(course, 5)[0]!
    for (const [name, [bytes, kind]] of Object.entries(hostileCorpus(good.lego.id, good))) {
      const file = name.endsWith('.json') ? name : `${name}.json`
      const res = await small.request(`/v1/courses/${course.code}/staging/${encodeURIComponent(file)}`, {method: 'PUT', body: Buffer.from(bytes), headers: {authorization: `Bearer ${token}`}})
      const got = await json(res)
      if (res.status === 413) expect(kind, name).toBe('too-large')
      else {
        expect(res.status, name).toBe(422)
        expect(got.problems.map((p: {kind: string}) => p.kind), name).toContain(kind)
      }
      expect(JSON.stringify(got), name).not.toMatch(/\bat .+:\d+:\d+/)
    }
    expect(staged()).toEqual(before)
  })

  it('POST picks a name that is a valid staging name, answers 201 with Location (the file\'s PUT URL), and a replay of its key names the same file', async () => {
    const post = (data: string, headers: Record<string, string> = {}) => app.request(`/v1/courses/${course.code}/staging`, {method: 'POST', body: data, headers: {authorization: `Bearer ${token}`, ...headers}})
    const first = await post(body(' po'), {'idempotency-key': 'post-key-1'})
    expect(first.status).toBe(201)
    const got = await json(first)
    expect(got.file).toMatch(new RegExp(`^${STAGING}/upload-\\d{8}T\\d{6}Z-[0-9a-f]{16}\\.json$`))
    const name = got.file.slice(STAGING.length + 1)
    expect(first.headers.get('location')).toBe(`/v1/courses/${course.code}/staging/${name}`)
    expect(readFileSync(join(course.dir, got.file), 'utf8')).toBe(body(' po'))
    const replay = await post(body(' po'), {'idempotency-key': 'post-key-1'})
    expect([replay.status, (await json(replay)).file, replay.headers.get('location')]).toEqual([201, got.file, first.headers.get('location')])
    const other = await post(body(' po'))
    expect((await json(other)).file).not.toBe(got.file)
    const bad = await post(JSON.stringify({[lego]: {practice_phrases: [{known: 'zup', target: 7}]}}))
    expect([bad.status, bad.headers.get('location')]).toEqual([422, null])
    expect(staged().filter((n) => n.startsWith('upload-'))).toHaveLength(2)
  })

  it('over --rate: 429 with Retry-After in whole seconds, checked before the body, nothing written; another token is not held up', async () => {
    let now = 0
    const slow = await makeApp([{course, cwd: synth.dir}], {maxBody: 4096, ratePerMinute: 6, now: () => now})
    const own = (await createToken(course.dir, {course: course.code, run: null, expiresMs: HOUR})).result.token
    const send = (name: string, who = own) => slow.request(`/v1/courses/${course.code}/staging/${name}`, {method: 'PUT', body: body(` ${name}`), headers: {authorization: `Bearer ${who}`}})
    expect((await send('rat1.json')).status).toBe(201)
    const over = await send('rat2.json')
    expect([over.status, over.headers.get('retry-after'), over.headers.get('content-type')]).toEqual([429, '10', 'application/problem+json'])
    expect(staged()).not.toContain('rat2.json')
    expect((await send('rat3.json', token)).status).toBe(201)
    now += 10_000
    expect((await send('rat2.json')).status).toBe(201)
  })

  it('with several courses served, a token of course A used on course B is a 403 naming A; a token no course knows is a 401', async () => {
    const second = stagingCourse(6, 66, 'qzv_for_eng')
    const secondCourse = await loadCourse(second.dir)
    const both = await makeApp([{course, cwd: synth.dir}, {course: secondCourse, cwd: second.dir}], {maxBody: 4096})
    const theirs = (await createToken(second.dir, {course: secondCourse.code, run: null, expiresMs: HOUR})).result.token
    const res = await both.request(`/v1/courses/${course.code}/staging/cross.json`, {method: 'PUT', body: body(' cr'), headers: {authorization: `Bearer ${theirs}`}})
    expect([res.status, (await json(res)).detail]).toEqual([403, expect.stringContaining(`is for course ${secondCourse.code}`)])
    const unknown = await both.request(`/v1/courses/${course.code}/staging/cross.json`, {method: 'PUT', body: body(' cr'), headers: {authorization: `Bearer wkr_${'x'.repeat(43)}`}})
    expect(unknown.status).toBe(401)
    expect(staged()).not.toContain('cross.json')
  })

  it('a token made with --run R uploads files named R__….json only (403 otherwise), and POST names its file R__upload-…', async () => {
    const ran = (await createToken(course.dir, {course: course.code, run: 'r7', expiresMs: HOUR})).result.token
    const as = (path: string, method = 'PUT') => app.request(`/v1/courses/${course.code}/staging${path}`, {method, body: body(` ${path}`), headers: {authorization: `Bearer ${ran}`}})
    const wrong = await as('/loose.json')
    expect([wrong.status, (await json(wrong)).detail]).toEqual([403, expect.stringContaining('run r7')])
    expect((await as('/r7__p1__1.json')).status).toBe(201)
    const posted = await as('', 'POST')
    expect((await json(posted)).file).toMatch(new RegExp(`^${STAGING}/r7__upload-`))
    expect(staged()).not.toContain('loose.json')
  })
})
