import * as cryptoModule from 'node:crypto'
import {createHash, type Hash} from 'node:crypto'

/** sha256 as hex; the one-shot crypto.hash (Node ≥ 20.12) when there is one. */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex')
}
const oneShot = (cryptoModule as unknown as {hash?: (alg: string, data: string | Uint8Array, enc: 'hex') => string}).hash

/** What sha256Pieces gives: update as often as you like, then digest('hex') once. */
export interface PieceHash {
  update(data: string | Uint8Array): PieceHash
  digest(encoding: 'hex'): string
}

/** Small strings are gathered up to this size before they reach the hash: one update per op of a plan costs more than the hashing. */
const GATHER = 1 << 20

/**
 * A sha256 fed piece by piece (a file read in pieces, a plan op by op); digest('hex') gives what
 * sha256Hex gives for all the pieces joined. Strings are gathered into pieces of about a megabyte.
 */
export function sha256Pieces(): PieceHash {
  const hash: Hash = createHash('sha256')
  let gathered = ''
  const flush = () => {
    if (gathered.length > 0) hash.update(gathered)
    gathered = ''
  }
  const self: PieceHash = {
    update(data) {
      if (typeof data === 'string') {
        gathered += data
        if (gathered.length >= GATHER) flush()
      } else {
        flush()
        hash.update(data)
      }
      return self
    },
    digest(encoding) {
      flush()
      return hash.digest(encoding)
    },
  }
  return self
}
