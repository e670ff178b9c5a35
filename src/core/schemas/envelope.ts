import {z} from 'zod'

/**
 * The one JSON document every command prints with --json (DESIGN.md §5): `status` is always the
 * process exit code. A result envelope also carries findings (1), CONDITIONAL_PROCEED (5), changes
 * ready (6), preview --detailed-exitcode blocked (3) and an interrupted launch (129/130/143); an error envelope carries what went wrong.
 */
export const RESULT_STATUSES = [0, 1, 3, 5, 6, 129, 130, 143] as const
export const ERROR_STATUSES = [2, 3, 4, 10, 129, 130, 143] as const

const statusOf = (codes: readonly number[]) => z.literal([...codes])

const warnings = z.array(z.string()).describe('Warnings, in error and result envelopes alike.')

/** `{status, result, warnings}` with the result's own schema and the exit codes that command can end with */
export function resultEnvelope<T extends z.ZodType>(result: T, statuses: readonly number[] = RESULT_STATUSES) {
  return z.object({
    status: statusOf(statuses).describe('The process exit code.'),
    result,
    warnings,
  })
}

export const anyResultEnvelope = resultEnvelope(z.unknown()).meta({title: 'wicker --json result envelope', description: 'What any wicker command prints on stdout with --json when it produced a result; envelope/<command>.json has each command\'s result.'})

export const errorEnvelope = z
  .object({
    status: statusOf(ERROR_STATUSES).describe('The process exit code: 2 usage or configuration, 3 blocked, 4 I/O or external tool, 10 internal bug.'),
    name: z.string().regex(/^E_[A-Z0-9_]+$/).describe('Stable error code, e.g. E_USAGE, E_LOCKED.'),
    message: z.string().min(1),
    hint: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    warnings,
  })
  .meta({title: 'wicker --json error envelope', description: 'What any wicker command prints on stdout with --json when it failed.'})
