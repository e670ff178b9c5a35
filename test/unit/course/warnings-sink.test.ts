import {describe, expect, it} from 'vitest'

import {runMerge} from '../../../src/core/merge/run.js'
import {runPreview} from '../../../src/core/preview/run.js'
import {flowCourse} from '../../helpers/flow.js'
import {deadPid, plantLock} from '../../helpers/lock.js'

/**
 * A caller's warnings sink (OpenCourseOptions.warnings) holds what the core noted even when the core
 * then throws: a thrown error would otherwise lose what came before it.
 */
describe('the warnings sink', () => {
  it('keeps the note of a cleared stale lock when merge then refuses (E_CONFIRM)', async () => {
    const f = flowCourse({seeds: 6})
    const stale = plantLock(f.dir, {pid: deadPid()})
    const warnings: string[] = []
    await expect(runMerge({course: f.dir, cwd: f.dir, warnings})).rejects.toMatchObject({code: 'E_CONFIRM'})
    expect(warnings).toEqual([expect.stringContaining(`cleared the lock of wicker merge (pid ${stale.pid})`)])
  })

  it('is the very array a successful run returns (so a command reports each warning once)', async () => {
    const f = flowCourse({seeds: 6})
    const warnings: string[] = []
    const run = await runPreview({course: f.dir, cwd: f.dir, warnings})
    expect(run.warnings).toBe(warnings)
  })
})
