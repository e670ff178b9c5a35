import {z} from 'zod'

/**
 * The document in .wicker/lock (and in each lock token). It comes from the course folder, so it is
 * untrusted: its id becomes part of file names only after it matched LOCK_ID, and its text is shown
 * to people only when it holds no control characters (no terminal escapes).
 */
export const LOCK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const shown = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'must not hold control characters')

export const lockInfoSchema = z.object({
  lockId: z.string().regex(LOCK_ID, 'must be a UUID (as wicker writes it)'),
  pid: z.number().int().positive().max(2 ** 31 - 1),
  host: shown(255),
  command: shown(1000),
  startedAt: shown(100),
})

export type LockInfo = z.infer<typeof lockInfoSchema>
