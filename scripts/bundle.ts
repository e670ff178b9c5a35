/**
 * `tsx scripts/bundle.ts` (the build's step after tsc): every file of dist/ that something loads by
 * its path (bin/run.js's main, oclif's commands and hook, the package's entry, the scripts wicker
 * starts as processes) is rewritten in place as a bundle of its imports, with the modules they share
 * in dist/chunks/ (one copy of each module, so `instanceof` and module state work across commands run
 * in one process). zod is bundled too; the other dependencies stay packages.
 *
 * Why: on Node 20 (no module compile cache) a command's start was mostly the loading of about 200
 * module files (its part of dist/ and zod's 99): bundled, each command starts about 100 ms of CPU
 * sooner. tsc's other files stay in dist/ as they were (the tests' helper processes import some);
 * nothing the CLI runs reaches them.
 *
 * A module of dist/ may run from a chunk, in another folder: paths to wicker's own files come from
 * src/core/package-root.ts, never from the module's own `import.meta.url`.
 */
import {readFileSync, readdirSync} from 'node:fs'
import {join, relative} from 'node:path'

import {build} from 'esbuild'

const DIST = 'dist'

/** Files loaded by path (a folder: every .js file under it), and every worker thread's script (`*-worker.js`). */
const ENTRIES = ['cli/main.js', 'commands', 'cli/hooks', 'index.js', 'agent', 'core/proc/watchdog-main.js']
const WORKER = /-worker\.js$/

function jsFiles(path: string, keep: (file: string) => boolean = () => true): string[] {
  const full = join(DIST, path)
  if (path.endsWith('.js')) return [full]
  return readdirSync(full, {recursive: true, encoding: 'utf8'})
    .filter((f) => f.endsWith('.js') && keep(f))
    .map((f) => join(full, f))
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {dependencies: Record<string, string>}
/** zod is many small modules and is bundled; the rest are loaded from node_modules as before */
const external = Object.keys(pkg.dependencies)
  .filter((name) => name !== 'zod')
  .flatMap((name) => [name, `${name}/*`])

const entryPoints = [...ENTRIES.flatMap((entry) => jsFiles(entry)), ...jsFiles('core', (f) => WORKER.test(f))]
const result = await build({
  entryPoints,
  outdir: DIST,
  outbase: DIST,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
})
const chunks = Object.keys(result.metafile.outputs).filter((f) => f.startsWith(`${DIST}/chunks/`)).length
console.log(`bundled ${entryPoints.length} entry files (${chunks} shared chunks) in ${relative('.', DIST)}/`)
