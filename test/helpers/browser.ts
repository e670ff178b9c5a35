import {existsSync} from 'node:fs'

import type {Browser} from 'playwright-core'

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
