import {z} from 'zod'

/**
 * Pieces several command results share. The enums repeat the code's constants on purpose: a schema
 * imports nothing from the verb folders (they import schemas/, not the other way round), and
 * test/unit/schemas/result-types.ts fails the typecheck when the two drift apart.
 */
export const count = z.int().nonnegative()

/** a share from 0 to 1 (coverage) */
export const share = z.number().min(0).max(1)

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)

export const textPair = z.object({known: z.string(), target: z.string()})

export const formatId = z.enum(['F1', 'F2', 'F2b', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F17', 'mixed'])

export const agentKind = z.enum(['builtin', 'claude', 'codex', 'gemini', 'command'])

export const attemptClass = z.enum(['ok', 'invalid-output', 'rate-limited', 'timeout', 'crash', 'auth'])

/** canon as a merge or restore found and left it */
export const canonSide = z.object({sha256: sha256Hex.nullable(), baskets: count})
