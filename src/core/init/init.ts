import {existsSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'

import {CONFIG_FILE} from '../config.js'
import {ioError} from '../errors.js'
import {writeFileAtomic} from '../store/atomic-write.js'
import {realDisk} from '../store/disk.js'
import {makeFolder} from '../store/make-folder.js'
import {readCourseFile} from '../store/read-file.js'

/** What `wicker init` writes. Each piece is added only when missing, so a second run changes nothing. */
export const GITIGNORE_LINES = ['# wicker: agent staging and wicker state (never commit)', 'phase5_baskets_staging/', 'phase3_baskets_staging/', '.wicker/']
export const GITATTRIBUTES_LINES = ['# wicker: canon is replaced whole by `wicker merge`; git must never line-merge it', 'lego_baskets.json -merge']

/** Where the config's JSON Schema is when wicker is installed in the project (package.json `files` ships schemas/). */
export const CONFIG_SCHEMA_IN_PACKAGE = 'node_modules/wicker/schemas/config.json'

/**
 * The `$schema` of a config written in `dir`: the schema shipped in the wicker package, relative to
 * the config, from the nearest node_modules that holds wicker (else ./node_modules/wicker/…, where a
 * project that installs wicker will have it). Relative, not a URL: it works offline, names the very
 * version that reads the config, and stays right for everyone who installs the project's
 * dependencies; the package declares no repository whose raw files a URL could point at.
 */
export function configSchemaRef(dir: string): string {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, CONFIG_SCHEMA_IN_PACKAGE))) {
      const path = relative(dir, join(at, CONFIG_SCHEMA_IN_PACKAGE)).split(sep).join('/')
      return path.startsWith('../') ? path : `./${path}`
    }
    if (dirname(at) === at) return `./${CONFIG_SCHEMA_IN_PACKAGE}`
  }
}

export const configTemplate = (schemaRef: string): string => `// wicker configuration (JSON with comments). Every field is optional; flags and
// WICKER_* environment variables override it. See the README, "Configuration".
{
  // The JSON Schema of this file, for editors (completion, checks as you type).
  "$schema": ${JSON.stringify(schemaRef)},

  // Folder that holds course folders by code (spa_for_eng/…), relative to this file.
  // Default: public/vfs/courses under the current folder if it exists, else the current folder.
  // "coursesDir": "public/vfs/courses",

  // Order of [a, b] pairs in lego_pairs.json, when wicker cannot tell it from the data:
  // "known-target" or "target-known".
  // "orientation": "target-known",

  "gate": {
    // Which vocabulary a phrase may use: "cumulative" | "window" | "strict" | "seed".
    "definition": "cumulative",
    // window: seeds before the current one in reach, and recent new LEGOs in reach as well.
    "windowSeeds": 10,
    "recentNewLegos": 30,
    // Count a LEGO's components' targets as vocabulary (not under strict).
    "components": true
    // Elision and contractions added to the built-in tables, by language:
    // "elision": {"fra": {"jusqu'-": ["jusque"]}}
  },

  "validate": {
    // Percentage of phrases allowed to break GATE before validate fails.
    "maxGateViolations": 0,
    "phrasesPerBasket": 10,
    // The first seeds may have fewer phrases.
    "earlySeeds": 10,
    "maxWords": 15,
    // Warnings fail too: the same as "maxWarnings": 0.
    "strict": false
    // Findings outside the critical checks (GATE aside) allowed before the verdict is BLOCK [default: no limit]:
    // "maxWarnings": 20,
    // Checks whose every finding blocks [default: every error check but gate]:
    // "critical": ["schema", "containment", "final-sentence", "leakage"]
  }
}
`

export interface InitResult {
  dir: string
  /** files created or changed, with what was done */
  changes: Array<{file: string; action: 'created' | 'appended'}>
  unchanged: string[]
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return (await readCourseFile(file)).toString('utf8')
  } catch (error) {
    if ((error as {details?: {errno?: string}}).details?.errno === 'ENOENT') return null
    throw ioError(error, file, 'read')
  }
}

/** Adds the lines that are not there yet; leaves everything else as it is. */
async function ensureLines(file: string, lines: string[], result: InitResult): Promise<void> {
  const current = await readIfExists(file)
  const have = new Set((current ?? '').split(/\r?\n/).map((l) => l.trim()))
  const missing = lines.filter((l) => !l.startsWith('#') && !have.has(l))
  if (missing.length === 0) {
    result.unchanged.push(file)
    return
  }
  const comment = lines.find((l) => l.startsWith('#'))
  const block = [...(comment && !have.has(comment) ? [comment] : []), ...missing].join('\n')
  const prefix = current === null || current === '' ? '' : current.endsWith('\n') ? '\n' : '\n\n'
  await writeFileAtomic(file, `${current ?? ''}${prefix}${block}\n`)
  result.changes.push({file, action: current === null ? 'created' : 'appended'})
}

export async function init(options: {dir: string; cwd: string; parents?: boolean}): Promise<InitResult> {
  const dir = resolve(options.cwd, options.dir)
  // the parent must exist (a typo in the path must not make a tree of folders), unless --parents
  const made = await makeFolder(dir, {parents: options.parents})
  const result: InitResult = {dir, changes: made.map((file) => ({file, action: 'created' as const})), unchanged: []}
  const config = join(dir, CONFIG_FILE)
  if (existsSync(config)) result.unchanged.push(config)
  else {
    await writeFileAtomic(config, configTemplate(configSchemaRef(dir)))
    result.changes.push({file: config, action: 'created'})
  }
  await ensureLines(join(dir, '.gitignore'), GITIGNORE_LINES, result)
  await ensureLines(join(dir, '.gitattributes'), GITATTRIBUTES_LINES, result)
  return result
}
