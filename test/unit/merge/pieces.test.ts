import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {basketValue, serializeCanon} from '../../../src/core/canon/write.js'
import {canonPieces, Pieces} from '../../../src/core/merge/pieces.js'

/**
 * merge writes canon as pieces laid into one buffer (pieces.ts). The bytes must be exactly what
 * serialising the whole document the general way gives, whatever the document holds.
 */
const text = fc.oneof(fc.string({unit: 'grapheme'}), fc.string({unit: 'binary'}), fc.constantFrom('', '"', '\\', '\n', '\u2028', '\ud800', 'a\tb', 'ščř ø 中文'))
const pair = fc.record({known: text, target: text})
const merged = fc.tuple(pair, fc.array(pair, {maxLength: 4}), fc.boolean()).map(([lego, phrases, isFinal]) => basketValue({id: 'S0001L01', seedId: 'S0001', known: lego.known, target: lego.target, isFinal, isNew: true} as Parameters<typeof basketValue>[0], phrases))
/** keys as canon files hold them, integer-like ones (which JSON.stringify takes first) among them */
const key = fc.oneof(fc.constantFrom('S0001L01', 'S0002L03', '12', '0', '4294967295', '01', '__proto__x', ''), text)
const basket = fc.oneof(merged, fc.jsonValue({maxDepth: 3}), fc.constant(undefined))
const doc = fc
  .tuple(fc.dictionary(key, fc.jsonValue({maxDepth: 3}), {maxKeys: 5}), fc.dictionary(key, basket, {maxKeys: 8}), fc.boolean())
  .map(([top, baskets, last]) => {
    const d: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    if (!last) d.baskets = baskets
    for (const [k, v] of Object.entries(top)) if (k !== 'baskets') d[k] = v
    if (last) d.baskets = baskets
    return d
  })

describe('canon laid out as pieces', () => {
  it('is byte for byte JSON.stringify(doc, null, 2) and a newline, for any document', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const pieces = canonPieces(d, 'baskets')
        expect(pieces).not.toBeNull()
        expect(pieces!.join().bytes.equals(Buffer.from(serializeCanon(d), 'utf8'))).toBe(true)
      }),
      {numRuns: 400},
    )
  })

  it('leaves a document without an object of baskets to the general way', () => {
    for (const baskets of [null, [], 'x', 3]) expect(canonPieces({version: '1', baskets}, 'baskets')).toBeNull()
    expect(canonPieces({version: '1'}, 'baskets')).toBeNull()
  })

  it('knows where each piece is in the bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(text, fc.uint8Array({maxLength: 20})), {maxLength: 20}), (parts) => {
        const pieces = new Pieces()
        const ids = parts.map((p) => pieces.add(p))
        const {bytes, at} = pieces.join()
        expect(bytes.equals(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))))).toBe(true)
        for (const [i, p] of parts.entries()) {
          const {start, end} = at(ids[i]!)
          expect(bytes.subarray(start, end).equals(typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))).toBe(true)
        }
      }),
      {numRuns: 200},
    )
  })
})
