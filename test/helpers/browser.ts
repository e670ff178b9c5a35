import {existsSync} from 'node:fs'

import type {Browser, Page} from 'playwright-core'

/** Debian's chromium unless WICKER_CHROMIUM names another; CI installs it (.ci/run). */
export const CHROMIUM = process.env.WICKER_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Headless Chromium driven by playwright-core, with nothing of its own on the network (no updates,
 * no sync, no QUIC), so that every request seen is the page's. Missing: a failure that says how to get it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it (\`sudo apt-get install -y --no-install-recommends chromium\`) or set WICKER_CHROMIUM to its path.`)
  const {chromium} = await import('playwright-core')
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}

// the functions given to the page run in the browser; the project's lib has no DOM types
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any

/** A fresh page that records every request, console error, uncaught error, dialog and CSP violation. */
export async function watchedPage(browser: Browser, opts: {javaScriptEnabled?: boolean} = {}): Promise<{page: Page; requests: string[]; errors: string[]}> {
  const context = await browser.newContext({viewport: {width: 1280, height: 900}, ...opts})
  const page = await context.newPage()
  const requests: string[] = []
  const errors: string[] = []
  page.on('request', (r) => requests.push(r.url()))
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`))
  page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`))
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  await page.exposeFunction('__violation', (v: string) => errors.push(`csp: ${v}`))
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e: any) => (globalThis as any).__violation(`${e.violatedDirective} ${e.blockedURI}`)))
  return {page, requests, errors}
}
