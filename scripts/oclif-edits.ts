import {readFileSync} from 'node:fs'

import type {Plugin} from 'esbuild'

/**
 * Work bundled oclif does on every start that a wicker command never needs, left out at build time.
 * Each edit must match its file exactly once, or the build fails naming it: an oclif that changed
 * there is looked at again, not bundled with the edit silently gone. Measured on the sample course
 * (cpu-prof, 2 cores), each was paid by every command wicker runs, every e2e test's process included:
 * - checkNodeVersion, on loading oclif: semver (72 KB) loaded to hold process.version against
 *   oclif's own engines range (>=18), which wicker's (>=20.19, checked by npm) already implies. 10-14 ms.
 * - the sort of each plugin's commands by `localeCompare`: its first call sets up ICU's collator,
 *   15-18 ms, to order command ids of lowercase letters, digits, ':' and '-'. Code-unit order is the
 *   same order for them (test/unit/scripts/oclif-edits.test.ts holds the manifest's ids to it).
 * - tinyglobby (and fdir), loaded with the plugin module: it only globs for commands when a plugin
 *   has no manifest, and wicker's has one. Loaded when that glob runs. About 10 ms.
 * - minimatch, to match the names in `oclif.plugins` against package.json's dependencies: a name
 *   without a glob character is matched by equality, as minimatch would; minimatch (61 KB, and its
 *   first pattern's compile) is loaded for a pattern that has one. About 10 ms.
 */
export const OCLIF_EDITS: readonly {file: string; from: string; to: string}[] = [
  {file: 'lib/index.js', from: '\ncheckNodeVersion();\n', to: '\n'},
  {
    file: 'lib/config/plugin.js',
    from: '.sort((a, b) => a.id.localeCompare(b.id));',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));',
  },
  {file: 'lib/config/plugin.js', from: 'const tinyglobby_1 = require("tinyglobby");', to: 'const tinyglobby_1 = {get glob() { return require("tinyglobby").glob; }};'},
  {file: 'lib/config/plugin-loader.js', from: 'const minimatch_1 = require("minimatch");', to: 'const minimatch_1 = {get minimatch() { return require("minimatch").minimatch; }};'},
  {
    file: 'lib/config/plugin-loader.js',
    from: 'patterns.some((w) => (0, minimatch_1.minimatch)(p, w))',
    to: 'patterns.some((w) => (/[*?[\\]{}()!+\\\\]/.test(w) ? (0, minimatch_1.minimatch)(p, w) : p === w))',
  },
]

/** `text` with every edit of OCLIF_EDITS for oclif's `file` (a path under @oclif/core/) made, each found exactly once. */
export function editOclif(file: string, text: string): string {
  for (const edit of OCLIF_EDITS.filter((e) => e.file === file)) {
    const at = text.indexOf(edit.from)
    if (at < 0 || text.indexOf(edit.from, at + 1) >= 0) {
      throw new Error(`scripts/bundle.ts: @oclif/core/${file} has ${at < 0 ? 'no' : 'more than one'} ${JSON.stringify(edit.from)}; look at OCLIF_EDITS again for this oclif`)
    }
    text = text.slice(0, at) + edit.to + text.slice(at + edit.from.length)
  }
  return text
}

const OCLIF_FILE = /[\\/]node_modules[\\/]@oclif[\\/]core[\\/](lib[\\/].+\.js)$/
export const oclifEdits: Plugin = {
  name: 'oclif-startup-edits',
  setup(b) {
    const files = new Set(OCLIF_EDITS.map((e) => e.file))
    b.onLoad({filter: OCLIF_FILE}, (args) => {
      const file = OCLIF_FILE.exec(args.path)?.[1]?.replaceAll('\\', '/')
      if (file === undefined || !files.has(file)) return undefined
      return {contents: editOclif(file, readFileSync(args.path, 'utf8')), loader: 'js'}
    })
  },
}
