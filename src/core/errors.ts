/**
 * Every failure wicker reports on purpose is a WickerError: a message that names the file, the
 * place and the fix, a stable code, and the exit code of DESIGN.md §5. Anything else that escapes
 * is a bug (exit 10, "please report").
 */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  blocked: 3,
  io: 4,
  /** validate --detailed-exitcode: passed with warnings within the limits (CONDITIONAL_PROCEED) */
  conditional: 5,
  /** preview --detailed-exitcode: changes are ready to merge */
  changes: 6,
  internal: 10,
  /** stopped by a signal: 128 + its number */
  sighup: 129,
  sigint: 130,
  sigterm: 143,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export interface ErrorInfo {
  code: string
  message: string
  hint?: string
  details?: Record<string, unknown>
}

export class WickerError extends Error {
  readonly code: string
  readonly exitCode: ExitCode
  readonly hint: string | undefined
  readonly details: Record<string, unknown> | undefined

  constructor(exitCode: ExitCode, info: ErrorInfo) {
    super(info.message)
    this.name = new.target.name
    this.code = info.code
    this.exitCode = exitCode
    this.hint = info.hint
    this.details = info.details
  }

  toJSON(): ErrorInfo {
    return {code: this.code, message: this.message, hint: this.hint, details: this.details}
  }
}

/** The user asked for something that cannot work as asked: a wrong argument, flag or config value. */
export class UsageError extends WickerError {
  constructor(info: ErrorInfo) {
    super(EXIT.usage, info)
  }
}

/** A course file wicker must read is not usable (not JSON, wrong shape). Exit 2: fix the input. */
export class InputError extends WickerError {
  constructor(info: ErrorInfo) {
    super(EXIT.usage, info)
  }
}

/** Something prevents a safe write: a lock, a stale plan, a conflict. */
export class BlockedError extends WickerError {
  constructor(info: ErrorInfo) {
    super(EXIT.blocked, info)
  }
}

/** The disk or an external program failed. */
export class IoError extends WickerError {
  constructor(info: ErrorInfo) {
    super(EXIT.io, info)
  }
}

const IO_CODES = new Set(['EACCES', 'EPERM', 'EIO', 'ENOSPC', 'EROFS', 'EMFILE', 'ENFILE', 'EBUSY', 'EISDIR', 'ENOTDIR', 'EEXIST', 'ENOENT'])

/** Turns a Node file-system error into an IoError that names the file and what to do. */
/** The errno code of a Node error, or of an IoError made from one (ioError keeps it in details). */
export function errnoOf(error: unknown): string | undefined {
  if (error instanceof WickerError) return typeof error.details?.errno === 'string' ? error.details.errno : undefined
  return (error as NodeJS.ErrnoException | undefined)?.code
}

export function ioError(error: unknown, file: string, action: string): WickerError {
  if (error instanceof WickerError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reason = error instanceof Error ? error.message : String(error)
  const hints: Record<string, string> = {
    EACCES: 'check the file permissions',
    EPERM: 'check the file permissions',
    ENOSPC: 'free some disk space and run the command again',
    EROFS: 'the file system is read-only; work on a writable copy',
    EISDIR: 'a folder is where a file was expected; rename or remove it',
    ENOTDIR: 'a file is where a folder was expected (e.g. .wicker or the staging folder); rename or remove it',
    EEXIST: 'something is already at that path (a file where a folder belongs?); rename or remove it',
    ENOENT: 'check the path',
  }
  return new IoError({
    code: code && IO_CODES.has(code) ? `E_IO_${code}` : 'E_IO',
    message: `Could not ${action} ${file}: ${reason}`,
    hint: (code && hints[code]) ?? 'check the file and run the command again',
    details: {file, errno: code},
  })
}

/**
 * A Node errno error (it has `code` and `syscall`) that no caller wrapped: a plain I/O failure
 * (EACCES, EROFS, ENOTDIR, EISDIR…), not a bug. It becomes an IoError (exit 4) naming the path and
 * the operation; anything else gives null.
 */
export function errnoToIoError(error: unknown): WickerError | null {
  const e = error as NodeJS.ErrnoException | undefined
  if (!(e instanceof Error) || typeof e.code !== 'string' || !/^E[A-Z0-9]+$/.test(e.code) || typeof e.syscall !== 'string') return null
  const dest = (e as {dest?: unknown}).dest
  const where = typeof e.path === 'string' ? `${e.path}${typeof dest === 'string' ? ` → ${dest}` : ''}` : '(no path given)'
  const io = ioError(e, where, e.syscall) as IoError
  return new IoError({...io.toJSON(), details: {...io.details, file: e.path ?? null, operation: e.syscall}})
}
