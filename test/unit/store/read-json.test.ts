import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {z} from 'zod'

import {BlockedError} from '../../../src/core/errors.js'
import {decodeText, plainlyReadable, readJson, readJsonCache, readJsonFile} from '../../../src/core/store/read-json.js'
import {strictProblems} from '../../../src/core/strict-json.js'
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

describe('decodeText', () => {
  const fatal = new TextDecoder('utf-8', {fatal: true})
  const bytes = fc.oneof(
    fc.uint8Array({maxLength: 40}),
    fc.string({unit: 'binary'}).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
    fc.constantFrom([0xef, 0xbb, 0xbf], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x7b], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]).map((b) => new Uint8Array(b)),
  )
  const bom = fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf])

  it('reads what the strict TextDecoder reads (a BOM dropped, and a second one), and refuses what it refuses', () => {
    fc.assert(
      fc.property(bom, bytes, (head, body) => {
        const all = Buffer.concat([Buffer.from(head), body])
        let expected: string | null
        try {
          const text = fatal.decode(all)
          expected = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
        } catch {
          expected = null
        }
        if (expected === null) expect(() => decodeText(all, 'kelmar.json')).toThrow(/kelmar\.json is not valid UTF-8/)
        else expect(decodeText(all, 'kelmar.json')).toBe(expected)
      }),
      {numRuns: 2000},
    )
  })
})

describe('readJsonFile: the strict scan is skipped only where it would find nothing', () => {
  const kinds = new Set(['lone-surrogate', 'too-deep', 'forbidden-key'] as const)
  const found = (text: string) => strictProblems(text, {maxDepth: 64, maxProblems: 10, kinds}).length > 0
  const nested = (depth: number) => `${'['.repeat(depth - 1)}{"a":1}${']'.repeat(depth - 1)}`

  it('never skips it for a text that holds a problem, however it is written', () => {
    const hostile = [
      '{"a":"\\ud800"}', '{"a":"x\\udc00"}', '{"\\ud83d":1}', '{"__proto__":{"x":1}}', '{"a":{"constructor":1}}', '{"prototype":[]}',
      '{"\\u005f_proto__":1}', '{"__pr\\u006fto__":1}', '{"constr\\u0075ctor":2}', nested(65), nested(80), `{"a":${nested(64)}}`,
      // deep nesting under the first copy of a duplicate key, which JSON.parse drops
      `{"a":${nested(70)},"a":1}`, `[{"k":{"k":${nested(66)},"k":[]}}]`,
      // brackets inside strings, and an escaped quote before them, are not nesting
      `["${']'.repeat(20)}",${nested(66)}]`, `["a\\"${']'.repeat(20)}",${nested(66)}]`, `[["]]]]]]]]]]"],${nested(64)}]`,
    ]
    for (const text of hostile) {
      expect([text, found(text)]).toEqual([text, true])
      expect([text, plainlyReadable(Buffer.from(text))]).toEqual([text, false])
    }
  })

  it('gives what the scan gives for generated documents with problems hidden in them', () => {
    const piece = fc.constantFrom('"__proto__"', '"constructor"', '"prototype"', '"\\u005f\\u005fproto\\u005f\\u005f"', '"\\ud800"', '"\\udfff x"', '"\\ud83d\\ude00"', '"\\\\u"', '"\\\\ud800"', '"proto"', '"plain"')
    const doc = fc.tuple(fc.json({maxDepth: 4}), piece, fc.boolean(), fc.integer({min: 1, max: 70}), fc.boolean(), fc.constantFrom('"[[["', '"]]]"', '"\\"[{"', '"x"')).map(([json, p, asKey, depth, duplicate, text]) => {
      const inner = asKey ? `{${p}:${json}}` : `[${json},${p},${text}]`
      const deep = `${'['.repeat(depth - 1)}${inner}${']'.repeat(depth - 1)}`
      // or the nesting under the first copy of a key written twice
      return duplicate ? `{"d":${deep},"d":${text}}` : deep
    })
    let skipped = 0
    fc.assert(
      fc.property(doc, (text) => {
        // skipped only where the scan finds nothing
        if (!plainlyReadable(Buffer.from(text))) return
        skipped++
        expect(found(text)).toBe(false)
      }),
      {numRuns: 2000},
    )
    // and skipped often: most of these hold no problem
    expect(skipped).toBeGreaterThan(150)
  })

  it('skips it for ordinary course text, and a refusal keeps its message', async () => {
    const plain = (text: string) => plainlyReadable(Buffer.from(text))
    expect(plain('{"seeds":[{"id":"S0001","legos":[{"known":"k[o]k","target":"vé \\"zo"}]}]}')).toBe(true)
    expect(plain(nested(60))).toBe(true)
    // text of every script, a forbidden name inside a longer string, words of the names' lengths, an escaped backslash before a u
    expect(plain('{"k":["[你好]", "Ωμέγα{", "the constructor", "prototypes", "catalogues", "pantomimes", "a\\\\u00"]}')).toBe(true)
    const dir = writeTree(tempDir(), {'p.json': '{"a":{"b":"\\ud800"}}'})
    await expect(readJsonFile(join(dir, 'p.json'), 'Course file')).rejects.toMatchObject({code: 'E_INPUT_STRICT', message: expect.stringContaining('$.a.b (line 1, column')})
  })
})
