import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {ALL_FORMATS, renderFormat} from '../../../bench/synth/staging.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {extractFor, runExtract} from '../../../src/core/extract/run.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {writeTree} from '../../helpers/fs.js'
import {basketsFor, stage, stagingCourse} from '../../helpers/staging.js'

describe('extract counts agree with the files', () => {
  it('formats: every file once, by the one format it was read as (a slot scaffold is F13/F14, not also its container)', async () => {
    const synth = stagingCourse()
    const course = await loadCourse(synth.dir)
    const expected: Record<string, number> = {}
    ALL_FORMATS.forEach((format, i) => {
      const files = renderFormat(format, basketsFor(course, i), `t${i}`, {known: 'english', target: 'spanish'})
      stage(synth.dir, files)
      expected[format] = files.length
    })
    const x = await extractFor(course, {}, synth.dir)
    expect(x.formats).toEqual(expected)
    expect(Object.values(x.formats).reduce((a, b) => a + b, 0)).toBe(x.files.filter((f) => f.format !== null).length)
  })

  it('quarantined: every unusable file with its copy there, the copies of an earlier run included', async () => {
    const synth = stagingCourse()
    writeTree(synth.dir, {
      'phase5_baskets_staging/cut.json': '{"S0001L01": {"practice_phrases": [["vel", "dor"',
      'phase5_baskets_staging/nul.json': '{"S0001L01": "a\u0000b"}',
    })
    const first = (await runExtract({course: synth.dir, cwd: synth.dir})).result
    expect([first.files.bad, first.quarantined, first.quarantinedNow]).toEqual([2, 2, 2])
    const again = (await runExtract({course: synth.dir, cwd: synth.dir})).result
    expect([again.files.bad, again.quarantined, again.quarantinedNow]).toEqual([2, 2, 0])
    expect(readdirSync(wickerPaths(synth.dir).quarantine)).toHaveLength(4)
    // a third bad file joins the two copied before
    writeTree(synth.dir, {'phase5_baskets_staging/more.json': '{"S0001L01": ['})
    const third = (await runExtract({course: synth.dir, cwd: synth.dir})).result
    expect([third.files.bad, third.quarantined, third.quarantinedNow]).toEqual([3, 3, 1])
    expect(readdirSync(join(wickerPaths(synth.dir).quarantine))).toHaveLength(6)
  })
})
