#!/usr/bin/env node
// Node >= 22.1 caches compiled modules; on Node 20 the call is absent and skipped.
import module from 'node:module'
module.enableCompileCache?.()

// `wicker --version` and `wicker --help` are what scripts and newcomers call most: both are answered
// without loading oclif. The help text is oclif's own, captured from the same build (dist/help.txt).
// Under WICKER_JSON the version is a JSON envelope: dist/cli/main.js answers.
const args = process.argv.slice(2)
const {readFileSync} = await import('node:fs')
let answered = false
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v') && !process.env.WICKER_JSON) {
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`wicker/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
  answered = true
} else if (args.length === 1 && args[0] === '--help' && !process.env.WICKER_NO_HELP_CACHE) {
  try {
    const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    const help = readFileSync(new URL('../dist/help.txt', import.meta.url), 'utf8')
    // the VERSION line names the platform and node that run it, not the ones that built it
    process.stdout.write(help.replace(/^( +)wicker\/\S+ \S+ node-\S+$/m, `$1wicker/${version} ${process.platform}-${process.arch} node-${process.version}`))
    answered = true
  } catch {
    // no captured help (a dev build): oclif answers
  }
}
if (!answered) {
  // oclif's execute(), plus the JSON envelope and exit 2 for mistakes made before a command runs;
  // oclif itself is bundled into dist/ (scripts/bundle.ts), and its settings are that copy's
  const {main, settings} = await import('../dist/cli/main.js')
  // The built CLI runs dist/ as it is. Left on, oclif tries to register tsx or ts-node for a checkout
  // (tsconfig.json and devDependencies present) whenever NODE_ENV is "test" or "development": half a
  // second of CPU on every command the e2e tests spawn under vitest. bin/dev.js runs the sources.
  settings.enableAutoTranspile = false
  await main(args, import.meta.url)
}
