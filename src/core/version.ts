import {readFileSync} from 'node:fs'

/** The version of wicker running (package.json's): what CI templates install and what a report says made it. */
export function wickerVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}
  return pkg.version
}
