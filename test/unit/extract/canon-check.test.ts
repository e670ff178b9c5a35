import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {readCanon} from '../../../src/core/canon/read.js'
import {runExtract} from '../../../src/core/extract/run.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {stagingCourse} from '../../helpers/staging.js'

/**
 * extract does not use canon, so it only checks it (checkCanon, no canon model): a canon a full
 * read refuses is refused by extract with the same error, before anything is written.
 */
describe('extract checks canon as a full read would', () => {
  const cases: Record<string, string> = {
    'not JSON': '{"baskets": {"S0001L01": ',
    'a key twice': '{"baskets": {}, "version": "1", "version": "2"}',
    'a prototype key': '{"baskets": {}, "x": {"__proto__": 1}}',
    'a number JSON cannot keep': '{"baskets": {}, "n": 12345678901234567890}',
    'an array': '[1, 2]',
    'null': 'null',
    'empty': '  ',
  }
  for (const [name, text] of Object.entries(cases)) {
    it(`refuses a canon that is ${name}, with readCanon's error`, async () => {
      const synth = stagingCourse()
      const canon = join(synth.dir, 'lego_baskets.json')
      writeFileSync(canon, text)
      const expected = await readCanon(canon).then(() => null, (error: Error & {code: string}) => error)
      expect(expected).not.toBeNull()
      const error = await runExtract({course: synth.dir, cwd: synth.dir}).then(() => null, (e: Error) => e)
      expect(error).toMatchObject({code: expected!.code, message: expected!.message})
      expect(existsSync(wickerPaths(synth.dir).extract)).toBe(false)
    })
  }

  it('reads a canon that is missing, or one a full read takes, as before', async () => {
    const synth = stagingCourse()
    const canon = join(synth.dir, 'lego_baskets.json')
    expect((await runExtract({course: synth.dir, cwd: synth.dir})).result.files.total).toBe(0)
    writeFileSync(canon, '{"baskets": {"S0001L01": null}, "stray": 1}')
    await readCanon(canon)
    expect((await runExtract({course: synth.dir, cwd: synth.dir})).result.files.total).toBe(0)
    writeFileSync(canon, '{}')
    expect((await runExtract({course: synth.dir, cwd: synth.dir})).result.files.total).toBe(0)
  })
})
