import {z} from 'zod'

import {sha256Schema} from './sha256.js'
import {lockInfoSchema} from './lock.js'


/**
 * One answer attempt for an Idempotency-Key of `wicker serve`, in .wicker/serve-idempotency/<sha256 of
 * the key>/<n>.json: the
 * hash of the body first sent with it, and either who is answering it now (in flight: judged alive
 * or gone as a lock holder is) or the answer to give again. It lives in the course folder, so it is
 * read back through its schema like every other file.
 */
export const idempotencyRecordSchema = z.object({
  kind: z.literal('wicker/serve-idempotency'),
  version: z.literal(1),
  keyHash: sha256Schema,
  bodyHash: sha256Schema,
  state: z.enum(['in-flight', 'done']),
  /** the process answering (in flight) or that answered the request */
  owner: lockInfoSchema,
  /** the stored answer, given again to a retry with the same key and body */
  response: z.json().optional(),
  finishedAt: z.string().max(100).optional(),
})

export type IdempotencyRecord = z.infer<typeof idempotencyRecordSchema>

/** A JSON value (a stored answer). */
export type JsonValue = z.infer<ReturnType<typeof z.json>>
