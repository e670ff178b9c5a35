import * as cryptoModule from 'node:crypto'
import {createHash, type Hash} from 'node:crypto'

/** sha256 as hex; the one-shot crypto.hash (Node ≥ 20.12) when there is one. */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex')
}
const oneShot = (cryptoModule as unknown as {hash?: (alg: string, data: string | Uint8Array, enc: 'hex') => string}).hash

/** A sha256 fed piece by piece (a file read in pieces, a plan op by op); digest('hex') gives what sha256Hex gives. */
export function sha256Pieces(): Hash {
  return createHash('sha256')
}
