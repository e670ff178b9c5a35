import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {writeCanonIndex} from '../../../src/core/canon/canon-index.js'
import {readCanon} from '../../../src/core/canon/read.js'
import {serializeCanon} from '../../../src/core/canon/write.js'
import {WickerError} from '../../../src/core/errors.js'
import {sha256Hex} from '../../../src/core/hash.js'
import {refusalOf} from '../../../src/core/staging/inspect.js'
import {lossyNumber, strictProblems} from '../../../src/core/strict-json.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {tempDir} from '../../helpers/fs.js'

/** A canon another tool wrote: compact, with a hole where each test puts its hostile bytes. */
const foreign = (baskets: string, metadata = '') =>
  `{"version":"1.0.0","course":"qtl_for_qkn","metadata":{"total_baskets":2${metadata}},"baskets":{${baskets}}}`
const basket = (target: string) => `{"lego":{"known":"feteet","target":"veil"},"practice_phrases":[{"known":"feteet","target":"${target}"}]}`

async function refusalOfCanon(bytes: Buffer | string, index = false): Promise<WickerError> {
  const dir = tempDir()
  const file = join(dir, 'lego_baskets.json')
  writeFileSync(file, bytes)
  if (index) {
    mkdirSync(wickerPaths(dir).root, {recursive: true})
    expect(await writeCanonIndex(wickerPaths(dir).canonIndex, {sha256: sha256Hex(readFileSync(file)), baskets: 2, uncovered: []})).toBe(true)
  }
  try {
    const canon = await readCanon(file, index ? {index: wickerPaths(dir).canonIndex} : {})
    // the layout path (taken: the index vouches for these bytes) reads each basket when asked for
    expect(canon.layout !== undefined).toBe(index)
    for (const b of canon.baskets.values()) void b
  } catch (error) {
    if (error instanceof WickerError) return error
    throw error
  }
  throw new Error('canon was read without a refusal')
}

describe('canon is read as strictly as staging', () => {
  it('refuses a basket id present twice, naming the id, line and column', async () => {
    const e = await refusalOfCanon(foreign(`"S0001L01":${basket('veil')},\n"S0001L01":${basket('qoux')}`))
    expect(e).toMatchObject({code: 'E_CANON_STRICT', exitCode: 2})
    expect(e.message).toContain('$.baskets.S0001L01 (line 2, column 1): the key "S0001L01" appears twice')
    expect(e.hint).toContain('merge the two copies')
  })

  it('refuses an invalid UTF-8 byte instead of turning it into U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from(foreign(`"S0001L01":${basket('ve')}`).split('ve"}')[0]!), Buffer.from([0xff]), Buffer.from('"}]}}}')])
    const e = await refusalOfCanon(bytes)
    expect(e.message).toMatch(/byte \d+ \(line 1, column \d+\): 0xff is not valid UTF-8/)
  })

  it('refuses a number in metadata that JSON.parse would round', async () => {
    const e = await refusalOfCanon(foreign(`"S0001L01":${basket('veil')}`, ',"origin":12345678901234567890'))
    expect(e.message).toContain('$.metadata.origin (line 1, column')
    expect(e.message).toContain('12345678901234567890 cannot be kept exactly (it would be written back as 12345678901234567000)')
  })

  it('refuses a lone surrogate escape in a phrase', async () => {
    const e = await refusalOfCanon(foreign(`"S0001L01":${basket('veil \\ud800')}`))
    expect(e.message).toContain('$.baskets.S0001L01.practice_phrases[0].target')
    expect(e.message).toContain('lone surrogate \\ud800')
  })

  it('refuses a basket nested 20,000 levels deep with a message, not a stack overflow', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`
    const e = await refusalOfCanon(foreign(`"S0001L01":{"practice_phrases":${deep}}`))
    expect(e.message).toContain('nesting deeper than 64 levels')
    expect(e.message.length).toBeLessThan(1000)
  })

  it('lists every place at once, up to 20, and says there are more', async () => {
    const many = Array.from({length: 30}, (_, i) => `"S0001L${String(i + 1).padStart(2, '0')}":{"phrase_count":${'9'.repeat(20)}}`).join(',\n')
    const e = await refusalOfCanon(foreign(many))
    expect(e.message.match(/cannot be kept exactly/g)).toHaveLength(20)
    expect(e.message).toContain('… and more')
    expect(e.message).toContain('$.baskets.S0001L20.phrase_count (line 20, column 28)')
  })

  it('checks what the layout path parses too, when a canon index vouches for hostile bytes', async () => {
    // bytes in wicker's own layout, with an index naming their hash: as if both had been planted
    const doc = {version: '1.0.0', course: 'qtl_for_qkn', metadata: {total_baskets: 2}, baskets: {S0001L01: {practice_phrases: [{known: 'feteet', target: 'veil'}]}, S0001L02: {practice_phrases: [{known: 'sto', target: 'X'}]}}}
    const text = serializeCanon(doc as never)
    expect((await refusalOfCanon(text.replace('"X"', '"\\udc00"'), true)).message).toContain('$.baskets.S0001L02.practice_phrases[0].target (line 20, column 22)')
    expect((await refusalOfCanon(text.replace('"total_baskets": 2', '"total_baskets": 1e999'), true)).message).toContain('$.metadata.total_baskets')
    const bad = Buffer.from(text.replace('"X"', '"@"'))
    bad[bad.indexOf('@')] = 0xff
    expect((await refusalOfCanon(bad, true)).message).toMatch(/\$\.baskets\.S0001L02, byte \d+ \(line 20, column 22\): 0xff is not valid UTF-8/)
  })
})

describe('the shared strict check', () => {
  it('knows which number literals survive a round trip', () => {
    for (const kept of ['0', '-0', '1.5', '1.50', '1e2', '100', '0.1', '9007199254740991', '-12.25e-3', '123456789012345']) expect(lossyNumber(kept), kept).toBeNull()
    expect(lossyNumber('9007199254740993')).toBe('9007199254740992')
    expect(lossyNumber('1e400')).toBe('null')
    expect(lossyNumber('1e-400')).toBe('0')
    expect(lossyNumber('0.10000000000000000001')).toBe('0.1')
  })

  it('passes short plain integers without a second look, and still weighs every other literal in the text', () => {
    const kinds = (json: string) => strictProblems(json, {maxDepth: 64}).map((p) => [p.path, p.message])
    expect(kinds('[1, -7, 0, 123456789012345, -123456789012345, 9007199254740991, 1.5, -0.25e2]')).toEqual([])
    // 16 digits and more, or a fraction or exponent, go through lossyNumber
    expect(kinds('{"a": [1, 9007199254740993], "b": -12345678901234567890, "c": 1e400, "d": 0.10000000000000000001}')).toEqual([
      ['$.a[1]', 'the number 9007199254740993 cannot be kept exactly (it would be written back as 9007199254740992)'],
      ['$.b', 'the number -12345678901234567890 cannot be kept exactly (it would be written back as -12345678901234567000)'],
      ['$.c', 'the number 1e400 cannot be kept exactly (it would be written back as null)'],
      ['$.d', 'the number 0.10000000000000000001 cannot be kept exactly (it would be written back as 0.1)'],
    ])
  })

  it('pairs surrogate escapes and finds a lone one in keys and values', () => {
    expect(strictProblems('{"a": "\\ud83d\\ude00 \\\\ud800"}', {maxDepth: 64})).toEqual([])
    expect(strictProblems('{"\\ud800": 1, "b": "x\\udc00"}', {maxDepth: 64}).map((p) => [p.kind, p.path])).toEqual([
      ['lone-surrogate', '$["\\ud800"]'],
      ['lone-surrogate', '$.b'],
    ])
  })

  it('refuses a staged phrase with a lone surrogate (extract and launch use refusalOf)', () => {
    const json = '{"S0001L01": {"practice_phrases": [{"known": "feteet", "target": "veil\\ud800"}]}}'
    expect(refusalOf(JSON.parse(json), json, {maxDepth: 64})).toMatch(/\$\.S0001L01\.practice_phrases\[0\]\.target .*lone surrogate/)
  })
})
