import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {OCLIF_EDITS, editOclif} from '../../../scripts/oclif-edits.js'

const repo = join(fileURLToPath(import.meta.url), '..', '..', '..', '..')
const oclifFile = (file: string) => readFileSync(join(repo, 'node_modules', '@oclif', 'core', file), 'utf8')
const {minimatch} = createRequire(import.meta.url)('minimatch') as {minimatch: (p: string, w: string) => boolean}

/** The edited plugin-loader's findMatchingDependencies, run with a minimatch that counts its calls. */
function editedMatcher(): {find: (deps: Record<string, string>, patterns: string[]) => string[]; calls: () => number} {
  const text = editOclif('lib/config/plugin-loader.js', oclifFile('lib/config/plugin-loader.js'))
  const source = /function findMatchingDependencies\(dependencies, patterns\) \{[^]*?\n\}/.exec(text)?.[0]
  if (source === undefined) throw new Error('no findMatchingDependencies in the edited plugin-loader.js')
  let calls = 0
  const minimatch_1 = {minimatch: (p: string, w: string) => (calls++, minimatch(p, w))}
  const find = new Function('minimatch_1', `${source}; return findMatchingDependencies`)(minimatch_1)
  return {find, calls: () => calls}
}

describe("scripts/oclif-edits.ts: the start-up work of bundled oclif that wicker leaves out", () => {
  it('finds every edit once in the installed oclif and makes it', () => {
    for (const file of new Set(OCLIF_EDITS.map((e) => e.file))) {
      const edited = editOclif(file, oclifFile(file))
      for (const edit of OCLIF_EDITS.filter((e) => e.file === file)) {
        expect(edited).toContain(edit.to)
        expect(edited).not.toContain(edit.from)
      }
    }
    expect(editOclif('lib/index.js', oclifFile('lib/index.js'))).not.toMatch(/^checkNodeVersion\(\);$/m)
  })

  it('stops the build, naming the file, when oclif changed where an edit applies', () => {
    const text = oclifFile('lib/config/plugin.js')
    const sort = OCLIF_EDITS.find((e) => e.from.includes('localeCompare'))!.from
    expect(() => editOclif('lib/config/plugin.js', text.replace(sort, '.sort(compareIds);'))).toThrow(/@oclif\/core\/lib\/config\/plugin\.js has no ".*localeCompare.*"; look at OCLIF_EDITS again/)
    expect(() => editOclif('lib/config/plugin.js', `${text}\n${sort}`)).toThrow(/has more than one/)
  })

  it('orders every command id by code units as localeCompare does', () => {
    const manifests = [join(repo, 'oclif.manifest.json'), join(repo, 'node_modules', '@oclif', 'plugin-autocomplete', 'oclif.manifest.json')]
    for (const path of manifests) {
      const ids = Object.keys((JSON.parse(readFileSync(path, 'utf8')) as {commands: object}).commands)
      expect(ids.length).toBeGreaterThan(0)
      const byUnits = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      expect(byUnits).toEqual([...ids].sort((a, b) => a.localeCompare(b)))
    }
  })

  it("matches oclif.plugins' names as minimatch does, and calls it only for a pattern with a glob character", () => {
    const deps = Object.fromEntries(['@oclif/core', '@oclif/plugin-autocomplete', '@oclif/plugin-help', 'chalk', 'oclif-plugin-x', '@oclif/plugin-autocompleter'].map((n) => [n, '1']))
    const matcher = editedMatcher()
    const literal = ['@oclif/plugin-autocomplete', 'chalk', 'nothing-here']
    expect(matcher.find(deps, literal)).toEqual(Object.keys(deps).filter((d) => literal.some((w) => minimatch(d, w))))
    expect(matcher.calls()).toBe(0)
    for (const globs of [['@oclif/plugin-*'], ['@oclif/plugin-{help,autocomplete}'], ['oclif-plugin-?'], ['@oclif/plugin-@(help)']]) {
      expect(matcher.find(deps, globs)).toEqual(Object.keys(deps).filter((d) => globs.some((w) => minimatch(d, w))))
    }
    expect(matcher.calls()).toBeGreaterThan(0)
    // wicker's own: the one core plugin it names is found
    const pjson = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {dependencies: Record<string, string>; oclif: {plugins: string[]}}
    expect(editedMatcher().find(pjson.dependencies, pjson.oclif.plugins)).toEqual(pjson.oclif.plugins)
  })
})
