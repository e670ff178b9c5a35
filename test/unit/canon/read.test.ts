import {describe, expect, it} from 'vitest'

import {readCanon, readCanonValue} from '../../../src/core/canon/read.js'
import {InputError} from '../../../src/core/errors.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const read = (value: unknown) => readCanonValue(value, 'lego_baskets.json', null)
const phrases = (c: ReturnType<typeof read>, id: string) => c.baskets.get(id)?.phrases.map((p) => p && [p.known, p.target])

describe('reading canon in every real shape', () => {
  it('reads the target shape without findings', () => {
    const canon = read({version: '1', course: 'qtl_for_qkn', metadata: {total_baskets: 1}, baskets: {S0001L01: {lego: {known: 'mip', target: 'vé'}, practice_phrases: [{known: 'mip', target: 'vé'}], is_final_lego: true, phrase_count: 1}}})
    expect(phrases(canon, 'S0001L01')).toEqual([['mip', 'vé']])
    expect(canon.baskets.get('S0001L01')).toMatchObject({lego: {known: 'mip', target: 'vé'}, isFinalLego: true, phraseCount: 1, location: 'baskets'})
    expect(canon.findings).toEqual([])
  })

  it('reads array phrases and lego arrays, and says so', () => {
    const canon = read({baskets: {S0001L01: {lego: ['mip', 'vé'], practice_phrases: [['mip', 'vé', null, 1], ['mip dax', 'vé qó']]}}})
    expect(phrases(canon, 'S0001L01')).toEqual([['mip', 'vé'], ['mip dax', 'vé qó']])
    expect(canon.baskets.get('S0001L01')!.lego).toEqual({known: 'mip', target: 'vé'})
    expect(canon.findings.map((f) => f.kind)).toEqual(['legacy-shape', 'legacy-shape'])
  })

  it('reads "english" where "known" belongs, and reports the basket', () => {
    const canon = read({baskets: {S0001L01: {practice_phrases: [{english: 'mip', target: 'vé'}]}}})
    expect(phrases(canon, 'S0001L01')).toEqual([['mip', 'vé']])
    expect(canon.findings).toEqual([expect.objectContaining({kind: 'english-key', basket: 'S0001L01'})])
  })

  it('reads a legacy data wrapper', () => {
    const canon = read({data: {S0001L01: {practice_phrases: [{known: 'mip', target: 'vé'}]}}})
    expect(canon.container).toBe('data')
    expect(canon.baskets.get('S0001L01')!.location).toBe('data')
  })

  it('keeps baskets at the top level apart as strays, and reports upload fields', () => {
    const canon = read({baskets: {}, S0002L01: {practice_phrases: [{known: 'a', target: 'b'}]}, seed: 'S0002', agentId: 'a7', stagingOnly: true, courseCode: 'x', colour: 'blue'})
    expect([...canon.strays.keys()]).toEqual(['S0002L01'])
    expect(canon.baskets.size).toBe(0)
    expect(canon.findings.filter((f) => f.kind === 'pollution').map((f) => f.message)).toEqual([
      'upload field "seed" was spread into the canon\'s top level.',
      'upload field "agentId" was spread into the canon\'s top level.',
      'upload field "stagingOnly" was spread into the canon\'s top level.',
      'upload field "courseCode" was spread into the canon\'s top level.',
      'unexpected top-level field "colour".',
    ])
  })

  it('reports keys that are not LEGO ids, unreadable phrases and baskets, and a stale total', () => {
    const canon = read({metadata: {total_baskets: 9}, baskets: {'0': {practice_phrases: []}, S0001L01: {practice_phrases: [{known: 'a'}, 42, {known: 'a', target: 'b'}]}, S0001L02: 'nope', S0001L03: {practice_phrases: {}}}})
    expect(canon.findings.map((f) => [f.kind, f.basket, f.phrase])).toEqual([
      ['non-lego-key', '0', undefined],
      ['bad-phrase', 'S0001L01', 0],
      ['bad-phrase', 'S0001L01', 1],
      ['bad-basket', 'S0001L02', undefined],
      ['bad-basket', 'S0001L03', undefined],
      ['stale-metadata', undefined, undefined],
    ])
    expect(phrases(canon, 'S0001L01')).toEqual([null, null, ['a', 'b']])
  })

  it('treats a missing canon as an empty canon', async () => {
    const canon = await readCanon(`${tempDir()}/lego_baskets.json`)
    expect(canon).toMatchObject({exists: false, sha256: null})
    expect(canon.baskets.size).toBe(0)
  })

  it('refuses a canon that is not an object, with the fix', async () => {
    const dir = writeTree(tempDir(), {'lego_baskets.json': '[1, 2]'})
    const error = await readCanon(`${dir}/lego_baskets.json`).catch((e) => e)
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toContain('an array')
    expect(error.hint).toContain('backup')
  })

  it('hashes the file it read', async () => {
    const dir = writeTree(tempDir(), {'lego_baskets.json': '{"baskets": {}}\n'})
    const {createHash} = await import('node:crypto')
    expect((await readCanon(`${dir}/lego_baskets.json`)).sha256).toBe(createHash('sha256').update('{"baskets": {}}\n').digest('hex'))
  })
})
