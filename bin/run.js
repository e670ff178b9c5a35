#!/usr/bin/env node
// Node >= 22.1 caches compiled modules; on Node 20 the call is absent and skipped.
import module from 'node:module'
module.enableCompileCache?.()

const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // The same line oclif prints, without loading oclif: `wicker --version` is what scripts call most.
  const {readFileSync} = await import('node:fs')
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`wicker/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
