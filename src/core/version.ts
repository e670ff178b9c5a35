import {readFileSync} from 'node:fs'

import {packageFile} from './package-root.js'

/** The version of wicker running (package.json's): what CI templates install and what a report says made it. */
export function wickerVersion(): string {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as {version: string}
  return pkg.version
}
