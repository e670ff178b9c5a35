import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'

import {CODE_TREE, PACKAGE_ROOT} from '../../src/core/package-root.js'
import {wicker} from '../helpers/cli.js'

const ROOT = new URL('../..', import.meta.url).pathname
const DIST = join(ROOT, 'dist')

const jsUnder = (dir: string): string[] =>
  readdirSync(join(DIST, dir), {recursive: true, encoding: 'utf8'})
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(DIST, dir, f))

/** What the CLI loads by path (scripts/bundle.ts's ENTRIES), and the chunks they share. */
const LOADED = [join(DIST, 'cli/main.js'), join(DIST, 'index.js'), join(DIST, 'core/proc/watchdog-main.js'), ...jsUnder('commands'), ...jsUnder('cli/hooks'), ...jsUnder('agent'), ...jsUnder('chunks'), ...jsUnder('core').filter((f) => f.endsWith('-worker.js'))]

/** The relative specifiers of a built file's static and dynamic imports. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s*)(["'])(\.{1,2}\/[^"']+)\1/gm)].map((m) => m[2]!)
  return specifiers.map((s) => relative(DIST, resolve(join(file, '..'), s)))
}

describe('the built CLI (npm run build: tsc, then scripts/bundle.ts)', () => {
  it('loads every module of its own from a bundle: what it runs imports only shared chunks, never a file of tsc\'s tree', () => {
    expect(LOADED.filter((f) => f.includes('/chunks/')).length).toBeGreaterThan(0)
    const strays = LOADED.flatMap((file) => relativeImports(file).filter((target) => !target.startsWith('chunks/')).map((target) => `${relative(DIST, file)} → ${target}`))
    expect(strays).toEqual([])
    // zod is bundled: no zod import is left for Node to resolve file by file
    expect(LOADED.filter((f) => /from\s*["']zod(?:\/[^"']*)?["']/.test(readFileSync(f, 'utf8'))).map((f) => relative(DIST, f))).toEqual([])
    // so is oclif (162 CommonJS files with its dependencies), and zod without its 40 locales
    expect(LOADED.filter((f) => /from\s*["']@oclif\/core(?:\/[^"']*)?["']|require\(["']@oclif\/core["']\)/.test(readFileSync(f, 'utf8'))).map((f) => relative(DIST, f))).toEqual([])
    expect(LOADED.filter((f) => readFileSync(f, 'utf8').includes('// node_modules/zod/v4/locales/fr.js')).map((f) => relative(DIST, f))).toEqual([])
  })

  it('finds its own files from package-root.ts, the one module whose place is read from import.meta.url', () => {
    expect(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).name).toBe('wicker')
    expect(CODE_TREE).toBe(join(PACKAGE_ROOT, 'src'))
    // code moved into a chunk of the bundle sits in another folder: a path relative to a module's own
    // URL would name another place there (createRequire only resolves packages, which works anywhere)
    const src = join(ROOT, 'src')
    const uses = readdirSync(src, {recursive: true, encoding: 'utf8'})
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => (readFileSync(join(src, f), 'utf8').match(/.*import\.meta\.url.*/g) ?? []).map((line) => `${f}: ${line.trim()}`))
      .filter((use) => !use.startsWith('core/package-root.ts:') && !/createRequire\(import\.meta\.url\)\.resolve\('[a-z]/.test(use))
    expect(uses).toEqual([])
  })

  it('runs the bundled oclif and zod: a bad config is refused with zod\'s English words, with exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wicker-bundle-'))
    try {
      writeFileSync(join(dir, 'wicker.config.json'), '{"concurrency": "lots"}')
      const run = wicker(['detect', 'nowhere', '--json'], {cwd: dir})
      expect(run.code).toBe(2)
      const envelope = JSON.parse(run.stdout)
      expect(envelope.name).toBe('E_CONFIG_INVALID')
      expect(envelope.message).toContain('Unrecognized key: "concurrency"')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
