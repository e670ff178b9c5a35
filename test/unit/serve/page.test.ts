import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {coursePage, renderPage} from '../../../src/core/serve/page.js'
import {makeApp} from '../../../src/core/serve/server.js'
import {createToken} from '../../../src/core/serve/tokens.js'
import {runStatus} from '../../../src/core/status/status.js'
import {basketsFor, stagingCourse} from '../../helpers/staging.js'

const HOUR = 3_600_000

describe('wicker serve status page, in-process', async () => {
  const synth = stagingCourse(8, 66)
  const course = await loadCourse(synth.dir)
  const app = await makeApp([{course, cwd: synth.dir}], {maxBody: 65_536})
  const token = (await createToken(course.dir, {course: course.code, run: null, expiresMs: HOUR})).result.token
  const lego = basketsFor(course, 2)[0]!.lego.id
  await app.request(`/v1/courses/${course.code}/staging/pag.json`, {method: 'PUT', body: JSON.stringify({[lego]: {practice_phrases: basketsFor(course, 2)[0]!.phrases}}), headers: {authorization: `Bearer ${token}`}})

  it('answers 401 with a page naming `wicker serve token create` when there is no token or a bad one', async () => {
    for (const res of [await app.request('/'), await app.request('/?token=wkr_nope'), await app.request('/v1/events')]) {
      expect(res.status).toBe(401)
      if (res.headers.get('content-type')?.startsWith('text/html')) expect(await res.text()).toContain('wicker serve token create COURSE')
    }
  })

  it('trades ?token= for an HttpOnly SameSite=Strict cookie and a 303 to /, and the cookie opens the page', async () => {
    const res = await app.request(`/?token=${token}`)
    expect([res.status, res.headers.get('location')]).toEqual([303, '/'])
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const page = await app.request('/', {headers: {cookie: cookie.split(';')[0]!}})
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'.*connect-src 'self'/)
    const html = await page.text()
    const nonce = /script-src 'nonce-([^']+)'/.exec(page.headers.get('content-security-policy')!)![1]
    expect(html).toContain(`<script nonce="${nonce}">`)
    expect(html).not.toMatch(/(src|href)="?https?:/)
  })

  it('shows the numbers of `wicker status --json` in the HTML itself (no JavaScript needed)', async () => {
    const html = await (await app.request('/', {headers: {authorization: `Bearer ${token}`}})).text()
    const {result} = await runStatus({course: course.dir, cwd: synth.dir, warnings: []})
    const shown = (k: string) => new RegExp(`data-k="${k}">([^<]*)<`).exec(html)?.[1]
    expect(shown('present')).toBe(String(result.counts.present))
    expect(shown('needed')).toBe(String(result.counts.needed))
    expect(shown('staging-files')).toBe(String(result.staging.files))
    expect(shown('staging-candidates')).toBe(String(result.staging.candidates))
    expect(result.staging.files).toBe(1)
    for (const seed of course.seeds) expect(html).toContain(`data-seed="${seed.id}"`)
  })

  it('escapes hostile course strings (seed ids, run names, the course code)', async () => {
    const page = await coursePage(course.dir, synth.dir)
    const evil = '<img src=x onerror=alert(1)>"\'&'
    page.status.course = evil
    page.seeds[0]!.seed = evil
    page.status.runs = [{run: evil, packets: 1, attempts: 0, ok: 0, active: true, lastEvent: null}]
    const html = renderPage([page], 'n0nce')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;')
  })
})
