import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {ByteSink, reindent, sameTokens} from '../../../src/core/canon/reindent.js'

/**
 * A first merge writes the untouched baskets of another tool's canon from their bytes (reindent.ts).
 * Wherever it writes a value at all, it must write exactly what JSON.stringify(JSON.parse(…), null, 2)
 * writes; where it cannot promise that (an escape, a number written another way, an index key), it
 * declines and the caller stringifies the value.
 */
/** Other white space between the tokens of a JSON text (CR LF lines, space around each colon), never inside a string. */
function respaced(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inString) {
      out += c
      if (c === '\\') out += text[++i]!
      else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
      out += c
    } else out += c === ':' ? '\r\n :  ' : c === '\n' ? '\r\n' : c
  }
  return out
}

const layouts = [
  (v: unknown) => JSON.stringify(v),
  (v: unknown) => JSON.stringify(v, null, 2),
  // (a text replace would also change a key or string that holds '": ', as fast-check found)
  (v: unknown) => respaced(JSON.stringify(v, null, '\t')),
]

function written(text: string, depth: number): string | null {
  const bytes = Buffer.from(text, 'utf8')
  const out = new ByteSink(4)
  const end = reindent(bytes, 0, bytes.length, depth, out)
  if (end < 0) return null
  // the whole value, then nothing but white space
  expect(bytes.subarray(end).toString().trim()).toBe('')
  return out.result().toString('utf8')
}

/** stringify's text of the value at `depth` of a 2-space document */
const expected = (value: unknown, depth: number) => JSON.stringify(value, null, 2).replaceAll('\n', `\n${' '.repeat(2 * depth)}`)

describe('a JSON value rewritten from its bytes as stringify indents it', () => {
  it('is byte for byte what stringify writes, or declines, for any JSON value in any layout', () => {
    let wrote = 0
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, 2), fc.constantFrom(0, 2, 5), (value, layout, depth) => {
        const text = layouts[layout]!(value)
        const got = written(text, depth)
        if (got === null) return
        wrote++
        expect(got).toBe(expected(JSON.parse(text), depth))
      }),
      {numRuns: 3000},
    )
    expect(wrote).toBeGreaterThan(1500)
  })

  it('writes numbers, literals and keys as stringify would, and declines what it would write otherwise', () => {
    const cases: Array<[string, boolean]> = [
      ['{"a":[1,-2,0,123456789012345,1.5,-0.25,1e+21,5e-324]}', true],
      ['{"lego":{"known":"a","target":"b"},"practice_phrases":[],"is_final_lego":false,"phrase_count":0,"x":{},"y":null,"z":true}', true],
      ['{"t":"tú “qó” 甲乙 \u2028 \u00a0 😀"}', true],
      ['[1.0]', false],
      ['[1E5]', false],
      ['[-0]', false],
      ['[1e400]', false],
      ['[12345678901234567890]', false],
      ['[0.1000000000000000001]', false],
      ['["a\\u0041"]', false],
      ['["a\\\\b"]', false],
      ['{"a\\"b":1}', false],
      ['{"b":1,"12":2}', false],
      ['{"b":1,"0":2}', false],
      ['{"b":1,"01":2,"4294967295":3,"-1":4}', true],
      ['{"a":1 "b":2}', false],
      ['[1,]', false],
      ['{"a":tru}', false],
    ]
    for (const [text, writes] of cases) {
      const got = written(text, 2)
      if (writes) expect(got, text).toBe(expected(JSON.parse(text), 2))
      else expect(got, text).toBeNull()
    }
  })

  it('tells the same tokens in two layouts from different ones', () => {
    const same = (a: string, b: string) => sameTokens(Buffer.from(a), 0, Buffer.byteLength(a), Buffer.from(b), 0, Buffer.byteLength(b))
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, 2), fc.constantFrom(0, 1, 2), (value, a, b) => {
        expect(same(layouts[a]!(value), layouts[b]!(value))).toBe(true)
      }),
      {numRuns: 500},
    )
    // a key that holds what a layout writes between tokens (found by fast-check, seed 306658159)
    expect(same(layouts[0]!({': ': 0}), layouts[2]!({': ': 0}))).toBe(true)
    expect(same('{": ":0}', '{":  ":0}')).toBe(false)
    expect(same('{"a": "x y"}', '{"a":"x y"}')).toBe(true)
    expect(same('{"a": "x y"}', '{"a":"xy"}')).toBe(false)
    expect(same('{"a": "x\\" y"}', '{"a":"x\\" y"}')).toBe(true)
    expect(same('{"a": "x\\" y"}', '{"a":"x\\"y"}')).toBe(false)
    expect(same('[1, 2]', '[12]')).toBe(false)
    expect(same('[1, 2]', '[1, 2, 3]')).toBe(false)
    expect(same('[true]', '[false]')).toBe(false)
  })
})
