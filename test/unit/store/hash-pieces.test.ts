import {describe, expect, it} from 'vitest'

import {sha256Hex, sha256Pieces} from '../../../src/core/hash.js'

describe('sha256Pieces', () => {
  it('gives sha256Hex of all the pieces joined, strings and bytes mixed, across the size at which strings are gathered', () => {
    const pieces: Array<string | Uint8Array> = []
    // invented text; many small strings (more than a megabyte of them), bytes between, non-ASCII too
    for (let i = 0; i < 40_000; i++) pieces.push(`${i}:vorpel ñandú 字${i % 7}|`)
    pieces.splice(1000, 0, new TextEncoder().encode('kelmar bytes in the middle'))
    pieces.push('x'.repeat(3 << 20), new Uint8Array([0, 255, 10]), 'tail')
    const hash = sha256Pieces()
    for (const p of pieces) hash.update(p)
    const joined = Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))
    expect(hash.digest('hex')).toBe(sha256Hex(joined))
  })

  it('of nothing is the hash of nothing', () => {
    expect(sha256Pieces().digest('hex')).toBe(sha256Hex(''))
  })
})
