import {readFileSync} from 'node:fs'

import {packageFile} from './package-root.js'

let cached: string | undefined

/** Where bugs go: package.json's `bugs.url`, read once (the same file from src/ and dist/). */
export function bugsUrl(): string {
  if (cached !== undefined) return cached
  try {
    const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as {bugs?: string | {url?: string}}
    cached = (typeof pkg.bugs === 'string' ? pkg.bugs : pkg.bugs?.url) ?? ''
  } catch {
    cached = ''
  }
  return cached
}

/** The hint of an internal error: a bug, where to report it, and what to attach. */
export function reportBugHint(attach: string): string {
  const url = bugsUrl()
  return `This is a bug in wicker; please report it${url ? ` at ${url}` : ''} with ${attach}.`
}
