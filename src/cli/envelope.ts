import {errnoToIoError, EXIT, WickerError, type ErrorInfo} from '../core/errors.js'
import {reportBugHint} from '../core/bug-report.js'
import {writeTo} from './closed-pipes.js'

/**
 * The one JSON document `--json` prints, in every mode and on every path (a command's result, its
 * failure, a mistake oclif catches before any command runs). `status` is always the process's exit
 * code, and warnings go out in both shapes.
 */
export interface ResultEnvelope<R = unknown> {
  status: number
  result: R
  warnings: string[]
}

export interface ErrorEnvelope {
  status: number
  /** the stable error code: E_USAGE, E_LOCK_HELD, E_COMMAND_NOT_FOUND… */
  name: string
  message: string
  hint?: string
  details?: Record<string, unknown>
  warnings: string[]
}

export type Envelope = ResultEnvelope | ErrorEnvelope

export function writeEnvelope(stream: NodeJS.WritableStream, envelope: Envelope): void {
  const text = wholeText(envelope, '', false)
  if (text !== null) {
    writeTo(stream, `${text}\n`)
    return
  }
  // longer than the longest string V8 can make (~512 MiB: validate's findings on a huge course
  // under a narrow GATE window): the same text, written piece by piece
  let batch = ''
  for (const piece of jsonPieces(envelope)) {
    batch += piece
    if (batch.length >= WRITE_BATCH) {
      writeTo(stream, batch)
      batch = ''
    }
  }
  writeTo(stream, `${batch}\n`)
}

/** characters gathered before one write, when an envelope is written piece by piece */
const WRITE_BATCH = 1 << 20

/** a value whose text is surely longer than this is taken apart without trying it whole */
const ONE_STRING = 2 ** 28

/**
 * Whether a value's JSON text may fit in one string: false once its strings' lengths and keys alone
 * pass ONE_STRING (a try at stringifying it would build that much and throw). An estimate only: a
 * try that still fails is caught and taken apart all the same.
 */
function mayFit(value: unknown): boolean {
  let budget = ONE_STRING
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === 'string') budget -= v.length + 2
    else if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) {
        budget -= v.length
        for (let i = 0; i < v.length; i++) stack.push(v[i])
      } else {
        for (const key of Object.keys(v)) {
          budget -= key.length + 4
          stack.push((v as Record<string, unknown>)[key])
        }
      }
    } else budget -= 8
    if (budget < 0) return false
  }
  return true
}

/**
 * `JSON.stringify(value, null, 2)` with `indent` after each of its line feeds (JSON text holds no raw
 * line feed inside a string), or null where that is longer than one string can be. With `estimate`,
 * a value mayFit rules out is not tried (a try builds that much text before it throws).
 */
function wholeText(value: unknown, indent: string, estimate: boolean): string | null {
  if (estimate && !mayFit(value)) return null
  try {
    const whole = JSON.stringify(value, null, 2)
    return indent !== '' && whole.includes('\n') ? whole.replaceAll('\n', `\n${indent}`) : whole
  } catch (error) {
    if (error instanceof RangeError) return null
    throw error
  }
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol'

/**
 * `JSON.stringify(value, null, 2)` as a sequence of strings that join to it, for a value whose text
 * is too long for one string: each member is stringified whole where it fits, else taken apart the
 * same way.
 */
export function* jsonPieces(value: unknown, indent = ''): Generator<string> {
  const v = value !== null && typeof value === 'object' && typeof (value as {toJSON?: unknown}).toJSON === 'function' ? (value as {toJSON(): unknown}).toJSON() : value
  if (v === null || typeof v !== 'object') {
    yield JSON.stringify(v)
    return
  }
  const inner = `${indent}  `
  const member = function* (item: unknown): Generator<string> {
    const text = wholeText(item, inner, true)
    if (text === null) yield* jsonPieces(item, inner)
    else yield text
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]'
      return
    }
    for (let i = 0; i < v.length; i++) {
      yield `${i === 0 ? '[' : ','}\n${inner}`
      if (skipped(v[i])) yield 'null'
      else yield* member(v[i])
    }
    yield `\n${indent}]`
    return
  }
  const record = v as Record<string, unknown>
  let first = true
  for (const key of Object.keys(record)) {
    if (skipped(record[key])) continue
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `
    first = false
    yield* member(record[key])
  }
  yield first ? '{}' : `\n${indent}}`
}

export function resultEnvelope<R>(status: number, result: R, warnings: readonly string[]): ResultEnvelope<R> {
  return {status, result, warnings: [...warnings]}
}

export function errorEnvelope(status: number, info: ErrorInfo, warnings: readonly string[]): ErrorEnvelope {
  // an absent hint or details is left out of the JSON (JSON.stringify drops undefined)
  return {status, name: info.code, message: info.message, hint: info.hint, details: info.details, warnings: [...warnings]}
}

/** What oclif throws for a flag or argument it cannot parse (its parser's errors carry exit 2). */
interface OclifError extends Error {
  oclif?: {exit?: number}
  code?: string
}

/** `WICKER_JSON` is read the way oclif reads a boolean flag's environment variable. */
export function jsonWanted(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const value = env.WICKER_JSON?.toLowerCase()
  return argv.includes('--json') || (value !== undefined && ['1', 'true', 'y', 'yes'].includes(value))
}

/**
 * Any failure → its exit code and what to say. A WickerError says it itself; a plain errno error is
 * exit 4 naming the path; oclif's parse errors are usage errors (2); anything else is a bug (10).
 */
export function describeFailure(error: unknown, commandId?: string): {exitCode: number; info: ErrorInfo} {
  const io = errnoToIoError(error)
  if (io) return {exitCode: io.exitCode, info: io.toJSON()}
  if (error instanceof WickerError) return {exitCode: error.exitCode, info: error.toJSON()}
  const e = (error instanceof Error ? error : new Error(String(error))) as OclifError
  if (e.oclif?.exit === EXIT.usage || /Flag|Arg|flag|argument/.test(e.constructor?.name ?? '')) {
    return {
      exitCode: EXIT.usage,
      info: {
        code: 'E_USAGE',
        message: e.message.replace(/\s*\n\s*/g, ' ').replace(/ See more help with --help$/, '').trim(),
        // a topic command's id is ci:k8s; it is typed `wicker ci k8s` (topicSeparator ' ')
        hint: `See \`wicker ${commandId ? `${commandId.replaceAll(':', ' ')} ` : ''}--help\`.`,
        details: {reason: e.message},
      },
    }
  }
  return {
    exitCode: EXIT.internal,
    info: {
      code: 'E_INTERNAL',
      message: `Internal error: ${e.message}`,
      hint: reportBugHint('the command you ran (WICKER_DEBUG=1 prints the stack)'),
      details: process.env.WICKER_DEBUG ? {stack: e.stack} : undefined,
    },
  }
}
