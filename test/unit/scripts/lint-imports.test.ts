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

  it('names a cycle between two core folders made of imports between different files, and a disk write outside the store', async () => {
    const root = project({
      'src/core/quibble/top.ts': "import {low} from '../plonk/low.js'\nexport const top = () => low\n",
      'src/core/quibble/leaf.ts': 'export const leaf = 1\n',
      'src/core/plonk/low.ts': "import {leaf} from '../quibble/leaf.js'\nexport const low = leaf\n",
      'src/core/plonk/write.ts': "import {mkdir, readFile as read} from 'node:fs/promises'\nexport const made = [mkdir, read]\n",
      'src/core/store/write.ts': "import {writeFile} from 'node:fs/promises'\nexport const ok = writeFile\n",
      'src/commands/frob.ts': "import {existsSync} from 'node:fs'\nexport const seen = existsSync\n",
    })
    const problems = await lintImports(root)
    expect(problems.map((p) => p.rule).sort()).toEqual(['commands-no-io', 'disk-writes-in-store', 'no-core-folder-cycle'])
    const cycle = problems.find((p) => p.rule === 'no-core-folder-cycle')!
    expect(cycle.message).toContain('src/core/plonk, src/core/quibble import each other')
    expect(cycle.message).toContain('src/core/plonk/low.ts → src/core/quibble/leaf.ts')
    expect(cycle.message).toContain('src/core/quibble/top.ts → src/core/plonk/low.ts')
    expect(problems.find((p) => p.rule === 'disk-writes-in-store')!.message).toBe('src/core/plonk/write.ts imports mkdir from node:fs: write through src/core/store instead')
  })
})
