/**
 * `npm run schemas`: writes schemas/<name> for every entry of the registry (src/core/schemas/registry.ts)
 * and removes the .json files under schemas/ that no entry has any more.
 */
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import {jsonSchemaFiles} from '../src/core/schemas/json-schema.js'
import {SCHEMAS} from '../src/core/schemas/registry.js'

export const SCHEMAS_DIR = fileURLToPath(new URL('../schemas/', import.meta.url))

/** The .json files under schemas/, as registry names (forward slashes). */
export function committedSchemaFiles(dir = SCHEMAS_DIR): string[] {
  let entries: string[]
  try {
    entries = readdirSync(dir, {recursive: true, encoding: 'utf8'})
  } catch {
    return []
  }
  return entries.filter((f) => f.endsWith('.json')).map((f) => relative(dir, join(dir, f)).split(sep).join('/')).sort()
}

function main(): void {
  const files = jsonSchemaFiles(SCHEMAS)
  const wanted = new Set(files.map((f) => f.name))
  for (const name of committedSchemaFiles()) if (!wanted.has(name)) rmSync(join(SCHEMAS_DIR, name))
  for (const {name, text} of files) {
    mkdirSync(dirname(join(SCHEMAS_DIR, name)), {recursive: true})
    writeFileSync(join(SCHEMAS_DIR, name), text)
  }
  process.stdout.write(`wrote ${files.length} schema(s) to schemas/\n`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
