import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {z} from 'zod'

import {BlockedError} from '../../../src/core/errors.js'
import {decodeText, readJson, readJsonCache} from '../../../src/core/store/read-json.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const schema = z.object({kind: z.literal('zemb'), rows: z.array(z.object({id: z.string(), n: z.int()}))})
const options = {what: 'Zemb file', code: 'E_ZEMB', hint: 'Write it again with `zemb make`.'}

describe('readJson: the one reader of files wicker reads back', () => {
  it('names every place that fails, as a JSON path, with the file and the hint (exit 2)', async () => {
    const dir = writeTree(tempDir(), {'z.json': {kind: 'zemb', rows: [{id: 'a', n: 1}, {id: 4, n: 'two'}]}})
    const error = await readJson(join(dir, 'z.json'), schema, options).catch((e: unknown) => e)
    expect(error).toMatchObject({exitCode: 2, code: 'E_ZEMB', hint: options.hint, details: {file: join(dir, 'z.json'), problems: [expect.stringMatching(/^rows\[1\]\.id: /), expect.stringMatching(/^rows\[1\]\.n: /)]}})
    expect((error as Error).message).toMatch(/^Zemb file .*z\.json is not usable: rows\[1\]\.id: .*; rows\[1\]\.n: /)
  })

  it('gives a file that is not JSON (NUL bytes) to the caller\'s refusal too, with both hints', async () => {
    const dir = writeTree(tempDir(), {'z.json': '{"kind":\u0000"zemb"}'})
    const refuse = (info: {code: string; message: string; hint?: string}) => new BlockedError({...info, code: 'E_ZEMB_DAMAGED'})
    const error = await readJson(join(dir, 'z.json'), schema, {...options, refuse}).catch((e: unknown) => e)
    expect(error).toMatchObject({exitCode: 3, code: 'E_ZEMB_DAMAGED', message: expect.stringMatching(/control character U\+0000 \(not valid JSON\) at line 1, column 9/), hint: expect.stringContaining('zemb make')})
  })

  it('returns the checked data, unknown keys dropped', async () => {
    const dir = writeTree(tempDir(), {'z.json': {kind: 'zemb', rows: [{id: 'a', n: 1, extra: true}]}})
    expect(await readJson(join(dir, 'z.json'), schema, options)).toEqual({kind: 'zemb', rows: [{id: 'a', n: 1}]})
  })
})

describe('readJsonCache: a cache is never an error', () => {
  it('none is null; a FIFO, NUL bytes or a wrong field is a reason, never a hang or a throw', async () => {
    const dir = writeTree(tempDir(), {'nul.json': '{"kind"\u0000}', 'bad.json': {kind: 'zemb', rows: 'none'}, 'good.json': {kind: 'zemb', rows: []}})
    execFileSync('mkfifo', [join(dir, 'fifo.json')])
    expect(await readJsonCache(join(dir, 'absent.json'), schema)).toBeNull()
    expect(await readJsonCache(join(dir, 'fifo.json'), schema)).toMatchObject({ok: false, problem: expect.stringMatching(/FIFO/)})
    expect(await readJsonCache(join(dir, 'nul.json'), schema)).toMatchObject({ok: false, problem: expect.stringMatching(/not valid JSON/)})
    expect(await readJsonCache(join(dir, 'bad.json'), schema)).toMatchObject({ok: false, problem: expect.stringMatching(/^rows: /), value: {kind: 'zemb', rows: 'none'}})
    expect(await readJsonCache(join(dir, 'good.json'), schema)).toEqual({ok: true, value: {kind: 'zemb', rows: []}})
  })
})

describe('decodeText: the native UTF-8 check gives the strict TextDecoder\'s answer', () => {
  const strict = new TextDecoder('utf-8', {fatal: true})
  const reference = (bytes: Buffer): string | null => {
    try {
      const text = strict.decode(bytes)
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
    } catch {
      return null
    }
  }
  it('on random bytes, valid and not, with and without byte order marks', () => {
    const pieces = [[0xef, 0xbb, 0xbf], [0x61], [0xc3, 0xa9], [0xe2, 0x80, 0x99], [0xf0, 0x9f, 0x98, 0x80], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xff], [0x80], [0xf4, 0x90, 0x80, 0x80], [0x00], [0x0a]]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 12}), (list) => {
        const bytes = Buffer.from(list.flat())
        const want = reference(bytes)
        if (want === null) expect(() => decodeText(bytes, 'x.json')).toThrow(/not valid UTF-8/)
        else expect(decodeText(bytes, 'x.json')).toBe(want)
      }),
      {numRuns: 3000},
    )
  })
})
