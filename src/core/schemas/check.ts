import type {z} from 'zod'

import {InputError, type ErrorInfo, type WickerError} from '../errors.js'
import {formatIssues} from './issues.js'

/** How a file that wicker reads back is named and refused when it fails its schema. */
export interface CheckedJsonOptions {
  /** what the file is, starting a message: "Plan", "Missing manifest", "Packet" */
  what: string
  /** the error code of a file that is JSON but fails its schema */
  code: string
  /** how to get a usable file */
  hint: string
  /**
   * the error for a file that cannot be used (not JSON, or failing its schema). Default InputError
   * (exit 2): a file the user named. wicker's own state passes the error its damage calls for.
   */
  refuse?: (info: ErrorInfo) => WickerError
  /** at most this many problems are named (a file may fail in thousands of places) */
  maxProblems?: number
}

/** A value checked against its schema: the parsed data, or each problem as `path.to.field: message`. */
export function checkJson<S extends z.ZodType>(value: unknown, schema: S): {ok: true; data: z.output<S>} | {ok: false; problems: string[]} {
  const parsed = schema.safeParse(value)
  return parsed.success ? {ok: true, data: parsed.data} : {ok: false, problems: formatIssues(parsed.error)}
}

/** A value already parsed from `file`, checked against its schema; one that fails is refused naming each place. */
export function checkedJson<S extends z.ZodType>(value: unknown, file: string, schema: S, options: CheckedJsonOptions): z.output<S> {
  const checked = checkJson(value, schema)
  if (checked.ok) return checked.data
  const max = options.maxProblems ?? 5
  const shown = checked.problems.slice(0, max)
  const more = checked.problems.length > max ? `; and ${checked.problems.length - max} more` : ''
  const info: ErrorInfo = {
    code: options.code,
    message: `${options.what} ${file} is not usable: ${shown.join('; ')}${more}.`,
    hint: options.hint,
    details: {file, problems: shown},
  }
  throw options.refuse ? options.refuse(info) : new InputError(info)
}

