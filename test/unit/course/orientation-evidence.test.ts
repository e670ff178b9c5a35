import {execFileSync} from 'node:child_process'
import {mkdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

/** The evidence wicker reads from disk: canon and staging, read as safely as extract reads them. */
const compact = {seeds: [['S0001', ['vé qó', 'mip dax'], [['S0001L01', 'A', 'vé', 'mip'], ['S0001L02', 'A', 'qó', 'dax']]]]}

describe('orientation evidence from staging', () => {
  it('decides from labelled staging baskets, never following a symlink out of staging nor opening a FIFO', async () => {
    // outside the course: a labelled LEGO that says the opposite; followed, the vote would be split
    const outside = writeTree(tempDir(), {'other.json': {S0001L02: {lego: {known: 'qó', target: 'dax'}}}})
    const dir = writeTree(`${tempDir()}/qtl_for_qkn`, {
      'lego_pairs.json': compact,
      'phase3_baskets_staging/deep/a.json': {seed_id: 'S0001', baskets: [{lego_id: 'S0001L01', lego: {known: 'mip', target: 'vé'}, practice_phrases: []}]},
    })
    symlinkSync(join(outside, 'other.json'), join(dir, 'phase3_baskets_staging', 'link.json'))
    mkdirSync(join(dir, 'phase5_baskets_staging'))
    execFileSync('mkfifo', [join(dir, 'phase5_baskets_staging', 'pipe.json')])
    const course = await loadCourse(dir)
    expect(course.orientation).toMatchObject({method: 'staging', order: 'target-known', votes: {agree: 1, of: 1}})
    expect(course.legos.map((l) => [l.known, l.target])).toEqual([['mip', 'vé'], ['dax', 'qó']])
    // the same file, copied in for real, does count (so the link above was what kept it out)
    writeTree(join(dir, 'phase5_baskets_staging'), {'copy.json': {S0001L02: {lego: {known: 'qó', target: 'dax'}}}})
    await expect(loadCourse(dir)).rejects.toMatchObject({code: 'E_ORIENTATION'})
  })

  it('prefers the canon to staging, and ignores a canon lego given as an array', async () => {
    const dir = writeTree(`${tempDir()}/qtl_for_qkn`, {
      'lego_pairs.json': compact,
      // an array `lego` is as ambiguous as lego_pairs' own arrays: no evidence
      'lego_baskets.json': {baskets: {S0001L01: {lego: ['mip', 'vé'], practice_phrases: []}}, S0001L02: {lego: {known: 'dax', target: 'qó'}, practice_phrases: []}},
      'phase5_baskets_staging/a.json': {S0001L01: {lego: {known: 'vé', target: 'mip'}}, S0001L02: {lego: {known: 'qó', target: 'dax'}}},
    })
    const course = await loadCourse(dir)
    // the canon's one labelled (stray) LEGO decides; staging, which says the opposite, is not asked
    expect(course.orientation).toMatchObject({method: 'canon', order: 'target-known', votes: {agree: 1, of: 1}})
  })
})
