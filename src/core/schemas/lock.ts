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
  // Who the holder is beyond its pid (see core/proc/identity.ts). Optional: locks of earlier
  // versions, and of systems without /proc, have none and are judged by host and pid alone.
  bootId: shown(100).optional(),
  pidNamespace: shown(100).optional(),
  /** the holder's start time, in clock ticks since boot (/proc/<pid>/stat field 22) */
  startTicks: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
})

export type LockInfo = z.infer<typeof lockInfoSchema>
