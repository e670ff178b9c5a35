import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {runDetect} from '../../../src/core/detect/run.js'
import {runMerge} from '../../../src/core/merge/run.js'
import {runRestore} from '../../../src/core/merge/restore.js'
import {reportData} from '../../../src/core/report/data.js'
import {flowCourse} from '../../helpers/flow.js'

const coverage = async (dir: string) => {
  const {counts, coverage} = (await runDetect({course: dir, cwd: dir})).result
  return {present: counts.present, needed: counts.needed, coverage}
}

describe('report history', () => {
  it('lists a real merge and its restore from the journal, with the coverage just after each', async () => {
    const {dir, baskets} = flowCourse()
    const before = await coverage(dir)
    const merged = (await runMerge({course: dir, cwd: dir, yes: true})).result
    const afterMerge = await coverage(dir)
    const restored = (await runRestore({course: dir, cwd: dir})).result
    expect(afterMerge.present).toBe(before.present + baskets.length)

    const {data, warnings} = await reportData({course: dir, cwd: dir})
    expect(data.history.map((h) => [h.kind, h.status, h.added, h.updated, h.target])).toEqual([
      ['merge', 'committed', baskets.length, 0, null],
      ['restore', 'committed', 0, 0, data.history[0]!.tx],
    ])
    expect(data.history[0]!.tx).toBe(merged.tx)
    expect(data.history[1]).toMatchObject({tx: restored.tx, backup: expect.stringMatching(/^\.wicker\/backups\//)})
    // after the merge: read from the backup the restore made of it; after the restore: canon now
    expect(data.history.map((h) => h.coverage)).toEqual([afterMerge, before])
    expect(warnings).toEqual([])
  })

  it('shows no coverage for a transaction whose canon is no longer there as it was', async () => {
    const {dir} = flowCourse({seed: 4})
    await runMerge({course: dir, cwd: dir, yes: true})
    await runRestore({course: dir, cwd: dir})
    const {data: first} = await reportData({course: dir, cwd: dir})
    const backup = join(dir, first.history[1]!.backup!)
    // the restore's backup (canon after the merge) changed by hand: its hash no longer matches
    writeFileSync(backup, readFileSync(backup, 'utf8').replace('"baskets"', '"baskets" ').replace(/\n$/, ' \n'))
    const {data, warnings} = await reportData({course: dir, cwd: dir})
    expect(data.history.map((h) => h.coverage === null)).toEqual([true, false])
    expect(warnings).toEqual([expect.stringMatching(/does not have the hash recorded for it/)])
  })
})
