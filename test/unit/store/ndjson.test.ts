import {describe, expect, it} from 'vitest'
import {z} from 'zod'

import {endsTorn, ndjsonAppendText, parseNdjson} from '../../../src/core/store/ndjson.js'

const schema = z.object({n: z.number().int(), word: z.string()})

describe('the NDJSON reader and writer shared by the journal and the ledgers', () => {
  it('reads each line checked, with its line number', () => {
    const read = parseNdjson('{"n":1,"word":"vlem"}\n\n{"n":2,"word":"trosk"}\n', schema)
    expect(read.records).toEqual([{line: 1, value: {n: 1, word: 'vlem'}}, {line: 3, value: {n: 2, word: 'trosk'}}])
    expect(read).toMatchObject({invalid: [], torn: [], tornTail: false})
  })

  it('a line torn by a kill is set apart, the lines around it are read, and the next append starts a fresh line', () => {
    const text = '{"n":1,"word":"vlem"}\n{"n":2,"wo'
    const read = parseNdjson(text, schema)
    expect(read.records.map((r) => r.value.n)).toEqual([1])
    expect(read.torn).toEqual([2])
    expect(read.tornTail).toBe(true)
    const appended = text + ndjsonAppendText([{n: 3, word: 'plint'}], schema, 'test', {afterTorn: endsTorn(text)})
    const again = parseNdjson(appended, schema)
    expect(again.records.map((r) => r.value.n)).toEqual([1, 3])
    expect(again.torn).toEqual([2])
    expect(again.tornTail).toBe(false)
  })

  it('a torn line in the middle (repaired earlier) does not hide the lines after it', () => {
    expect(parseNdjson('{"n":1,"word":"a"}\n{"n":\n{"n":3,"word":"c"}\n', schema).records.map((r) => r.line)).toEqual([1, 3])
  })

  it('a line that is JSON but not a record is reported with its line and the field at fault, never thrown', () => {
    const read = parseNdjson('{"n":1,"word":"a"}\n{"n":"two","word":"b"}\n[1,2]\n', schema)
    expect(read.records).toHaveLength(1)
    expect(read.invalid.map((b) => [b.line, b.reason])).toEqual([
      [2, expect.stringMatching(/^n: .*number/i)],
      [3, expect.stringMatching(/^record: /)],
    ])
  })

  it('never writes a record its reader would refuse (a bug, not a user error)', () => {
    expect(() => ndjsonAppendText([{n: 1.5, word: 'x'}], schema, 'test')).toThrow(/bug: test record does not check: n:/)
    expect(ndjsonAppendText([{n: 1, word: 'x'}, {n: 2, word: 'y'}], schema, 'test')).toBe('{"n":1,"word":"x"}\n{"n":2,"word":"y"}\n')
  })

  it('an empty text is not torn; text without a final newline is', () => {
    expect(endsTorn('')).toBe(false)
    expect(endsTorn('{}\n')).toBe(false)
    expect(endsTorn('{}')).toBe(true)
  })
})
