import {cpSync, rmSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runExtract} from '../../../src/core/extract/run.js'
import {tempDir} from '../../helpers/fs.js'
import {flowCourse} from '../../helpers/flow.js'

const STAGING = 'phase5_baskets_staging'

/** `..zemb` is an ordinary name inside the course: only `..` itself leads up. */
describe('a staging folder of the course named ..zemb', () => {
  it('is inside the course: when it is a symlink out of the course it is refused, not read through', async () => {
    const f = flowCourse({seeds: 6})
    const elsewhere = join(tempDir('wicker-elsewhere-'), 'batch')
    cpSync(join(f.dir, STAGING), elsewhere, {recursive: true})
    rmSync(join(f.dir, STAGING), {recursive: true})
    symlinkSync(elsewhere, join(f.dir, '..zemb'))
    const {result} = await runExtract({course: f.dir, cwd: f.dir, staging: ['..zemb']})
    expect(result.candidates).toBe(0)
    expect(result.problems).toContainEqual(expect.objectContaining({file: '..zemb', kind: 'symlink'}))
  })

  it('when it is a real folder, its files are read and named relative to the course', async () => {
    const f = flowCourse({seeds: 6})
    cpSync(join(f.dir, STAGING), join(f.dir, '..zemb'), {recursive: true})
    rmSync(join(f.dir, STAGING), {recursive: true})
    const {result} = await runExtract({course: f.dir, cwd: f.dir, staging: ['..zemb']})
    expect(result.candidates).toBeGreaterThan(0)
    expect(result.problems).toEqual([])
  })
})
