import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {readCanon} from '../../../src/core/canon/read.js'
import {gateSettingsSchema, validateSettingsSchema} from '../../../src/core/schemas/config.js'
import {validate} from '../../../src/core/validate/validate.js'
import {wickerIn} from '../../helpers/cli-in.js'
import {loadCourse} from '../../../src/core/course/load.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const options = {gate: gateSettingsSchema.parse({}), validate: validateSettingsSchema.parse({})}

const pairs = {
  seeds: [
    {seed_id: 'S0001', seed_pair: {known: 'mip dax', target: 'vé qó'}, legos: [
      {id: 'S0001L01', type: 'A', new: true, lego: {known: 'mip', target: 'vé'}},
      {id: 'S0001L02', type: 'A', new: true, lego: {known: 'dax', target: 'qó'}},
    ]},
  ],
}

/** Canon text as a file holds it: \ud800 is a JSON escape that parses to a lone surrogate. */
const canonText = String.raw`{"baskets": {
  "S0001L01": {"lego": {"known": "mip", "target": "vé"}, "practice_phrases": [{"known": "mip", "target": "vé"}, {"known": "mip mip", "target": "vé \ud800vé"}], "is_final_lego": false, "phrase_count": 2},
  "S0001L02": {"lego": {"known": "dax", "target": "qó"}, "practice_phrases": [{"known": "dax \udc00", "target": "qó"}, {"known": "mip dax", "target": "vé qó \ud840\udc00"}], "is_final_lego": true, "phrase_count": 2}
}}
`

describe('validate: encoding', () => {
  it('flags each lone surrogate in canon phrases as an error, and not a well-formed pair', async () => {
    const course = await loadCourse(writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': pairs, 'lego_baskets.json': canonText}))
    // validate reads canon's lone surrogates to flag them; every other command refuses such a canon
    await expect(readCanon(course.files.canon)).rejects.toMatchObject({code: 'E_CANON_STRICT'})
    const r = validate(course, await readCanon(course.files.canon, {allowLoneSurrogates: true}), options)
    const encoding = r.findings.filter((f) => f.check === 'encoding')
    expect(encoding.map((f) => [f.basket, f.phrase, f.severity])).toEqual([['S0001L01', 1, 'error'], ['S0001L02', 0, 'error']])
    expect(encoding[0]!.message).toBe('phrase 1 has a lone surrogate (\\ud800 at character 3) in its target side: text that cannot be written as UTF-8; rewrite the phrase.')
    expect(encoding[1]!.message).toContain('(\\udc00 at character 4) in its known side')
    expect(r.passed).toBe(false)
    expect(r.checks.find((c) => c.id === 'encoding')).toMatchObject({severity: 'error', count: 2})
  })

  it('makes `wicker validate` exit 1 with the finding in its JSON', async () => {
    const dir = writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': pairs, 'lego_baskets.json': canonText})
    expect(readFileSync(join(dir, 'lego_baskets.json'), 'utf8')).toContain('\\ud800')
    const run = await wickerIn(['validate', dir, '--json'])
    expect(run.code).toBe(1)
    expect(run.json.result.findings.filter((f: {check: string}) => f.check === 'encoding')).toHaveLength(2)
  })
})
