import {copyFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {lintImports} from '../../../scripts/lint-imports.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const repo = join(fileURLToPath(import.meta.url), '..', '..', '..', '..')

/** A project with wicker's own import rules and the given sources. */
function project(sources: Record<string, string>): string {
  const root = writeTree(tempDir('wicker-layers-'), {'tsconfig.json': {compilerOptions: {module: 'NodeNext', moduleResolution: 'NodeNext', strict: true}, include: ['src']}, ...sources})
  copyFileSync(join(repo, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'))
  return root
}

describe('lint:imports', () => {
  it('finds no problem in wicker itself: the core folders read bottom-up', async () => {
    const problems = await lintImports(repo)
    expect(problems.map((p) => `${p.rule}: ${p.message}`)).toEqual([])
  })

  it('names a cycle between two core folders, an import up the layers, a folder in no layer and a disk write outside the store', async () => {
    const root = project({
      'src/core/course/top.ts': "import {low} from '../canon/low.js'\nexport const top = () => low\n",
      'src/core/course/leaf.ts': 'export const leaf = 1\n',
      'src/core/canon/low.ts': "import {leaf} from '../course/leaf.js'\nexport const low = leaf\n",
      'src/core/canon/write.ts': "import {mkdir, readFile as read} from 'node:fs/promises'\nexport const made = [mkdir, read]\n",
      'src/core/store/write.ts': "import {writeFile} from 'node:fs/promises'\nexport const ok = writeFile\n",
      'src/core/errors.ts': 'export const oops = 1\n',
      'src/core/frobnitz/quib.ts': "import {oops} from '../errors.js'\nexport const quib = oops\n",
      'src/commands/frob.ts': "import {existsSync} from 'node:fs'\nexport const seen = existsSync\n",
    })
    const problems = (await lintImports(root)).map((p) => `${p.rule}: ${p.message}`)
    expect(problems.filter((p) => !p.startsWith('no-core-folder-cycle')).sort()).toEqual([
      'commands-no-io: src/commands/frob.ts → fs',
      'core-layers: src/core/course/top.ts → src/core/canon/low.ts: src/core/canon is not below src/core/course (CORE_LAYERS in scripts/lint-imports.ts)',
      'core-layers: src/core/frobnitz is in no layer: add it to CORE_LAYERS in scripts/lint-imports.ts',
      'disk-writes-in-store: src/core/canon/write.ts imports mkdir from node:fs: write through src/core/store instead',
    ])
    const cycle = problems.find((p) => p.startsWith('no-core-folder-cycle')) ?? '(no cycle reported)'
    expect(cycle).toContain('src/core/canon, src/core/course import each other')
    expect(cycle).toContain('src/core/canon/low.ts → src/core/course/leaf.ts')
    expect(cycle).toContain('src/core/course/top.ts → src/core/canon/low.ts')
  })
})
