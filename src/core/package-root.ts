import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

/**
 * Where wicker's own files are, wherever this code runs from: the TypeScript sources (src/, under the
 * tests), tsc's output (dist/core/…) or a shared chunk of the bundle (dist/chunks/…, see
 * scripts/bundle.ts). A path relative to the running file (`new URL('../../x', import.meta.url)`)
 * would name another place in each, so every such path starts here instead: the folder of the
 * package's package.json, found by walking up from this file.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir
    const up = dirname(dir)
    if (up === dir) throw new Error(`wicker's package.json was not found above ${fileURLToPath(import.meta.url)}`)
    dir = up
  }
}

export const PACKAGE_ROOT = findRoot()

/** The tree this code runs from, `src` or `dist`: the built scripts wicker starts (agents, the watchdog) live in the same one. */
export const CODE_TREE = join(PACKAGE_ROOT, relative(PACKAGE_ROOT, fileURLToPath(import.meta.url)).split(sep)[0]!)

/** A file of the package: `packageFile('templates', 'worker.md')`. */
export const packageFile = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts)

/**
 * A script wicker starts by its path, as a process or a worker thread (`core/proc/watchdog-main`,
 * no extension): its compiled file in this code's tree (dist/, where the bundle makes each such
 * script an entry), or null when this code runs from the TypeScript sources (the tests).
 */
export function compiledScript(name: string): string | null {
  const compiled = join(CODE_TREE, `${name}.js`)
  return existsSync(compiled) ? compiled : null
}

/**
 * The same script's `.ts` under the tests, and the file of tsx that loads it: `dist/loader.mjs` for
 * a process's --import, `dist/esm/api/index.mjs` for a worker thread to register.
 */
export function sourceScript(name: string, tsx: string): {source: string; tsx: string} {
  return {source: join(PACKAGE_ROOT, 'src', `${name}.ts`), tsx: join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), tsx)}
}
