import {z} from 'zod'

import {sha256Schema} from '../sha256.js'
import {AGENTS} from '../config.js'
import {FORMAT_IDS} from '../extract-cache.js'
import {ATTEMPT_CLASSES} from '../ledger.js'

/**
 * Pieces several command results share. The enums are the lists schemas/ keeps for the code too (a
 * schema imports nothing from the verb folders); test/unit/schemas/result-types.ts fails the
 * typecheck when a result and the code's type drift apart.
 */
export const count = z.int().nonnegative()

/** a share from 0 to 1 (coverage) */
export const share = z.number().min(0).max(1)

export const sha256Hex = sha256Schema

export const textPair = z.object({known: z.string(), target: z.string()})

export const formatId = z.enum(FORMAT_IDS)

export const agentKind = z.enum(AGENTS)

export const attemptClass = z.enum(ATTEMPT_CLASSES)

/** canon as a merge or restore found and left it */
export const canonSide = z.object({sha256: sha256Hex.nullable(), baskets: count})
