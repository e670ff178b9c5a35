import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../src/core/course/load.js'
import {launchChromium} from '../helpers/browser.js'
import {wickerIn} from '../helpers/cli-in.js'
import {startServer} from '../../bench/serve-process.js'
import {basketsFor, stagingCourse} from '../helpers/staging.js'

describe('wicker serve status page in headless Chromium', () => {
  it('shows the numbers of status --json, updates after an upload without a reload, asks nothing of any other origin, logs no error', async () => {
    const started = Date.now()
    const synth = stagingCourse(12, 67)
    const course = await loadCourse(synth.dir)
    // the token and the status calls in process: the server is the process here
    const token = (await wickerIn(['serve', 'token', 'create', synth.dir, '--json'])).json.result.token as string
    const {child, listening, exited} = await startServer(synth.dir)
    const browser = await launchChromium()
    try {
      const page = await browser.newPage({viewport: {width: 1000, height: 700}})
      const requests: string[] = []
      const errors: string[] = []
      page.on('request', (r) => requests.push(r.url()))
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
      page.on('pageerror', (e) => errors.push(String(e)))
      const shown = async (k: string) => page.locator(`[data-k="${k}"]`).first().textContent()
      const status = async () => (await wickerIn(['status', synth.dir, '--json'])).json.result

      const res = await page.goto(`${listening.url}/?token=${token}`)
      expect(res!.status()).toBe(200)
      expect(new URL(page.url()).search).toBe('')
      await page.locator('#live', {hasText: /^live$/}).waitFor({timeout: 5000})
      const before = await status()
      expect([await shown('present'), await shown('needed'), await shown('staging-files')]).toEqual([String(before.counts.present), String(before.counts.needed), String(before.staging.files)])

      const lego = basketsFor(course, 3)[0]!.lego.id
      const up = await fetch(`${listening.url}/v1/courses/${course.code}/staging/liv.json`, {method: 'PUT', body: JSON.stringify({[lego]: {practice_phrases: basketsFor(course, 3)[0]!.phrases}}), headers: {authorization: `Bearer ${token}`}})
      expect(up.status).toBe(201)
      const after = await status()
      expect(after.staging.files).toBe(before.staging.files + 1)
      await page.locator('[data-k="staging-files"]', {hasText: String(after.staging.files)}).waitFor({timeout: 5000})
      expect(await shown('staging-candidates')).toBe(String(after.staging.candidates))
      // the screenshot is written on every run (bench/out/, ignored by git); WICKER_UPDATE_SCREENSHOTS=1 refreshes the README's copy
      const shot = await page.screenshot({path: 'bench/out/serve-status.png'})
      expect(shot.length).toBeGreaterThan(10_000)
      if (process.env.WICKER_UPDATE_SCREENSHOTS === '1') await page.screenshot({path: 'docs/serve-status.png'})

      const origin = new URL(listening.url).origin
      expect(requests.filter((u) => new URL(u).origin !== origin)).toEqual([])
      expect(errors).toEqual([])
      const pageBytes = Buffer.byteLength(await (await fetch(`${listening.url}/`, {headers: {authorization: `Bearer ${token}`}})).text())
      // the page's event stream is still open: SIGTERM ends it, and the server does not wait out its 5 s grace for it
      const stopping = Date.now()
      child.kill('SIGTERM')
      expect((await exited).code).toBe(143)
      expect(Date.now() - stopping).toBeLessThan(2500)
      console.log(`serve page browser test: ${Date.now() - started} ms, page ${pageBytes} bytes`)
    } finally {
      await browser.close()
      child.kill('SIGTERM')
    }
  }, 30_000)
})
