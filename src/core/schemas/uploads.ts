import {z} from 'zod'

import {sha256Schema} from './sha256.js'

/**
 * One line of `uploads.ndjson`, beside a launch's ledger (.wicker/runs/<run>/uploads.ndjson, or
 * shards/I-of-N/uploads.ndjson for a shard): a staged output `launch --upload` delivered to a
 * `wicker serve`. A file whose name, bytes (sha256) and PUT URL are listed is never sent again; one
 * that is not (a failed upload, a changed server) is sent by the next launch. Never the token.
 *
 * The record is in the course folder, so it is untrusted: a line that does not check is reported and
 * ignored, and nothing in it is ever used as a path. A bad line makes launch send a file again; a
 * forged good line makes it skip one (counted as "already delivered"), which the server side finds:
 * `wicker status --run R --require-complete` there lists the packet as missing, and deleting the
 * line sends it.
 */
export const uploadRecordSchema = z
  .object({
    /** the staged file's name, as it was PUT */
    name: z.string().min(1).max(255),
    sha256: sha256Schema,
    /** the URL it was PUT to (base URL, course and name; a bearer token is never in it) */
    url: z.string().max(4096),
    /** the server's answer: 201 written, 200 the same bytes were already there */
    status: z.union([z.literal(200), z.literal(201)]),
    at: z.string().max(64),
  })
  .meta({title: 'wicker launch --upload: a delivered output (uploads.ndjson line)'})

export type UploadRecordEntry = z.infer<typeof uploadRecordSchema>
