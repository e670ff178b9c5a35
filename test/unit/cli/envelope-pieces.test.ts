import {Writable} from 'node:stream'

import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {jsonPieces, writeEnvelope} from '../../../src/cli/envelope.js'

/** A stream that keeps only the length of what it is given, and its first and last characters. */
class Tally extends Writable {
  length = 0
  head = ''
  tail = ''
  writes = 0
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    const text = chunk.toString()
    this.writes++
    this.length += text.length
    if (this.head.length < 200) this.head += text.slice(0, 200 - this.head.length)
    this.tail = (this.tail + text).slice(-200)
    done()
  }
}

describe('an envelope too long for one string', () => {
  it('jsonPieces joins to JSON.stringify(value, null, 2), for any JSON value and what stringify leaves out', () => {
    const odd = fc.oneof(fc.constant(undefined), fc.constant(() => 1), fc.date({noInvalidDate: true}))
    const value = fc.letrec((tie) => ({
      node: fc.oneof({depthSize: 'small'}, fc.jsonValue(), odd, fc.array(tie('node')), fc.dictionary(fc.string(), tie('node'))),
    })).node
    const envelope = fc.oneof(fc.array(value), fc.dictionary(fc.string(), value))
    fc.assert(fc.property(envelope, (v) => [...jsonPieces(v)].join('') === JSON.stringify(v, null, 2)), {numRuns: 500})
  })

  it('is written whole: 540 MB of findings, past the ~512 MiB V8 string limit that made validate exit 10', () => {
    // 10,000 characters a finding: some 54,000 of them pass the limit (at 1,000 characters, 540,000
    // objects to build and take apart cost ~1 s of CPU more for the same length past it)
    const message = 'x'.repeat(10_000)
    const envelope = (n: number) => ({status: 1, result: {findings: Array.from({length: n}, () => ({check: 'gate', message}))}, warnings: []})
    // the text's length is linear in the number of findings: two small ones give its terms
    const small = JSON.stringify(envelope(10), null, 2).length
    const per = (JSON.stringify(envelope(20), null, 2).length - small) / 10
    // just past the longest string (2 ** 29 - 24 characters on Node 20)
    const n = Math.ceil((2 ** 29 - small) / per) + 1_000
    const out = new Tally()
    writeEnvelope(out, envelope(n))
    expect(out.length).toBe(small + per * (n - 10) + 1)
    // one write is the whole text: it came piece by piece
    expect(out.writes).toBeGreaterThan(100)
    expect(out.head).toBe(JSON.stringify(envelope(1), null, 2).slice(0, 200))
    expect(out.tail).toBe(`${JSON.stringify(envelope(1), null, 2)}\n`.slice(-200))
  }, 120_000)
})
