import {z} from 'zod'

/** A sha256 in lowercase hex, as src/core/hash.ts writes it. */
export const SHA256_HEX = /^[0-9a-f]{64}$/

/** Every sha256 field of every file and result wicker writes or reads back. */
export const sha256Schema = z.string().regex(SHA256_HEX, 'must be a sha256 (64 hex digits)')
