import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {realDisk} from '../../../src/core/store/disk.js'
import {confine, within} from '../../../src/core/store/inside.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

/** The one place that decides containment: by name (within) and as the kernel resolves it (confine). */
describe('within and confine', () => {
  it('a child named ..x is inside; ../x and an absolute path elsewhere are not', async () => {
    const root = writeTree(tempDir(), {'..x/plonk.json': '{}\n', 'a/b.json': '{}\n'})
    expect(within(root, join(root, '..x'))).toBe(true)
    expect(await confine(realDisk, root, '..x/plonk.json')).toBe(join(root, '..x', 'plonk.json'))
    expect(await confine(realDisk, root, '..x')).toBe(join(root, '..x'))
    expect(within(root, join(root, '..', 'x'))).toBe(false)
    expect(await confine(realDisk, root, '../x')).toBeNull()
    expect(await confine(realDisk, root, 'a/../../x')).toBeNull()
    expect(await confine(realDisk, root, '/etc/passwd')).toBeNull()
  })

  it('a symlinked folder leading out is refused, one leading to another place inside is accepted', async () => {
    const root = writeTree(tempDir(), {'real/vesk.json': '{}\n'})
    const outside = writeTree(tempDir(), {'lurn.json': '{}\n'})
    symlinkSync(outside, join(root, 'out'))
    symlinkSync(join(root, 'real'), join(root, 'in'))
    expect(await confine(realDisk, root, 'out/lurn.json')).toBeNull()
    // even for a file that does not exist yet there: a write would land outside
    expect(await confine(realDisk, root, 'out/new/zorp.json')).toBeNull()
    expect(await confine(realDisk, root, 'in/vesk.json')).toBe(join(root, 'in', 'vesk.json'))
    expect(await confine(realDisk, root, 'in/vesk.json', {noFinalSymlink: true})).toBe(join(root, 'in', 'vesk.json'))
    expect(await confine(realDisk, root, 'in', {noFinalSymlink: true})).toBeNull()
  })

  it('ENOENT: a missing path is judged by its deepest existing folder; a dangling or looping symlink on the way is refused', async () => {
    const root = writeTree(tempDir(), {'staging/glim.json': '{}\n'})
    expect(await confine(realDisk, root, 'staging/gone/vorp.json')).toBe(join(root, 'staging', 'gone', 'vorp.json'))
    symlinkSync(join(tempDir(), 'nowhere', 'yet'), join(root, 'dangling'))
    expect(await confine(realDisk, root, 'dangling/vorp.json')).toBeNull()
    symlinkSync(join(root, 'loop'), join(root, 'loop'))
    expect(await confine(realDisk, root, 'loop/vorp.json')).toBeNull()
  })

  it('rules: strict refuses the root itself, noDotSegments refuses .applied and hidden names below the root only', async () => {
    const root = join(tempDir(), '.course')
    mkdirSync(join(root, 'staging', '.applied'), {recursive: true})
    writeFileSync(join(root, 'staging', 'f.json'), '{}\n')
    expect(await confine(realDisk, root, '.', {strict: true})).toBeNull()
    expect(await confine(realDisk, root, 'staging/f.json', {noDotSegments: true})).toBe(join(root, 'staging', 'f.json'))
    expect(await confine(realDisk, root, 'staging/.applied/f.json', {noDotSegments: true})).toBeNull()
    expect(await confine(realDisk, root, 'staging/.f.json', {noDotSegments: true})).toBeNull()
  })
})
