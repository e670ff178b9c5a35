/**
 * `tsx scripts/bundle.ts` (the build's step after tsc): every file of dist/ that something loads by
 * its path (bin/run.js's main, oclif's commands and hook, the package's entry, the scripts wicker
 * starts as processes) is rewritten in place as a bundle of its imports, with the modules they share
 * in dist/chunks/ (one copy of each module, so `instanceof` and module state work across commands run
 * in one process). zod and @oclif/core are bundled too; the other dependencies stay packages.
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

import {build, type Plugin} from 'esbuild'

import {oclifEdits} from './oclif-edits.js'

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
/**
 * zod and @oclif/core are many small modules (zod's 99; oclif's 65 and the 97 of its dependencies,
 * semver alone 47) that every command loads, so they are bundled; the rest are loaded from
 * node_modules as before. oclif is CommonJS: its `require` calls run through the banner's
 * createRequire. What it only requires for a TypeScript checkout (typescript, ts-node, pnpapi) stays
 * out: the built CLI turns that lookup off (settings.enableAutoTranspile in cli/main.ts).
 */
const BUNDLED = new Set(['zod', '@oclif/core'])
const external = [
  ...Object.keys(pkg.dependencies)
    .filter((name) => !BUNDLED.has(name))
    .flatMap((name) => [name, `${name}/*`]),
  'typescript',
  'ts-node',
  'pnpapi',
]
/** CommonJS code in an ES module: `require` as the module would have it (oclif's lazy requires of its own files are bundled; node builtins and the externals above go through it) */
const BANNER = "import {createRequire as __wickerRequire} from 'node:module';\nconst require = __wickerRequire(import.meta.url);"

/**
 * zod's namespaces (z and z.core) re-export its 40 locales (half of its 735 KB): the built CLI speaks English only
 * and names no locale, so `z.locales` is English alone there (the default zod installs itself).
 */
const NAMESPACES = [join('zod', 'v4', 'classic', 'external.js'), join('zod', 'v4', 'core', 'index.js')]
const englishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({filter: /^\.\.\/locales\/index\.js$/}, (args) =>
      NAMESPACES.some((file) => args.importer.endsWith(file)) ? {path: 'zod-locales', namespace: 'zod-english-only', pluginData: args.resolveDir} : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'zod-english-only'}, (args) => ({
      contents: "export {default as en} from '../locales/en.js'",
      resolveDir: args.pluginData as string,
      loader: 'js',
    }))
  },
}

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
  banner: {js: BANNER},
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [englishOnly, oclifEdits],
})
const chunks = Object.keys(result.metafile.outputs).filter((f) => f.startsWith(`${DIST}/chunks/`)).length
console.log(`bundled ${entryPoints.length} entry files (${chunks} shared chunks) in ${relative('.', DIST)}/`)
