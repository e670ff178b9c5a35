import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

const ROOT = new URL('../..', import.meta.url).pathname
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

describe('the npm package', () => {
  it('ships the CLI, its manifest, hook and licence, and not bin/dev.js (it needs tsx and src/, which are not shipped)', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: ROOT, encoding: 'utf8', timeout: 60_000})
    expect(r.status, r.stderr).toBe(0)
    const files = new Set((JSON.parse(r.stdout) as Array<{files: Array<{path: string}>}>)[0]!.files.map((f) => f.path))
    for (const f of ['bin/run.js', 'LICENSE', 'README.md', 'oclif.manifest.json', 'dist/help.txt', 'dist/cli/hooks/command-not-found.js', 'dist/commands/version.js', 'sample/courses/qtl_for_qkn/lego_pairs.json']) expect(files, f).toContain(f)
    expect(files).not.toContain('bin/dev.js')
    expect([...files].filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([])
  })

  it('says where the code lives and where bugs go, and the licence matches the LICENSE file', () => {
    expect(pkg.bugs.url).toMatch(/^https:\/\/.+\/issues$/)
    expect(pkg.repository.url).toMatch(/^git\+https:\/\//)
    expect(pkg.homepage).toMatch(/^https:\/\//)
    expect(pkg.license).toBe('MIT')
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the wicker authors\n/)
  })
})
