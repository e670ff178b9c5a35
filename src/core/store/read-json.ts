import {isUtf8} from 'node:buffer'

import type {z} from 'zod'

import {errnoOf, InputError, WickerError} from '../errors.js'
import {BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, OPEN_ARRAY, OPEN_OBJECT, QUOTE} from '../json-bytes.js'
import {checkedJson, checkJson, type CheckedJsonOptions} from '../schemas/check.js'
import {describeProblem, strictProblems, type StrictKind} from '../strict-json.js'
import {readCourseFile, type ReadOptions} from './read-file.js'

export interface JsonLocation {
  line: number
  column: number
  offset: number
}

/** Line and column (1-based) of a character offset, for messages a person can act on. */
export function locate(text: string, offset: number): JsonLocation {
  const safe = Math.max(0, Math.min(offset, text.length))
  let line = 1
  let lineStart = 0
  for (let i = 0; i < safe; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return {line, column: safe - lineStart + 1, offset: safe}
}

export interface ParseFailure {
  reason: string
  location: JsonLocation
}

/** JSON.parse with the failure turned into a reason and a position (V8 gives an offset for most errors). */
export function parseJsonText(text: string): {ok: true; value: unknown} | {ok: false; failure: ParseFailure} {
  try {
    return {ok: true, value: JSON.parse(text)}
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const at = /position (\d+)/.exec(message)
    // V8 gives no position for a raw control character (a NUL byte, say): no JSON text holds one
    // unescaped anywhere, so the first one is the place
    const control = at ? -1 : text.search(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
    const offset = at ? Number(at[1]) : control >= 0 ? control : text.length
    const reason =
      control >= 0
        ? `a raw control character U+${text.charCodeAt(control).toString(16).toUpperCase().padStart(4, '0')} (not valid JSON)`
        : message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, ' (not valid JSON)')
    return {ok: false, failure: {reason, location: locate(text, offset)}}
  }
}

/**
 * Reads a file's bytes through the guarded reader (read-file.ts): only a regular file, under the
 * size cap. I/O problems become IoError (exit 4).
 */
export async function readBytes(file: string, options: ReadOptions = {}): Promise<Buffer> {
  return readCourseFile(file, options)
}

/**
 * What `new TextDecoder('utf-8', {fatal: true}).decode(bytes)` gives (one leading BOM dropped), or
 * null where it would throw: a native check, then Buffer's decoder, in well under TextDecoder's time
 * (on a 17 MB lego_pairs.json, a 12 MB plan or a 100 MB canon, most of a second).
 */
export function strictUtf8(bytes: Uint8Array): string | null {
  if (!isUtf8(bytes)) return null
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * UTF-8 text of a file's bytes, a leading BOM dropped. Strict: an invalid byte is refused with its
 * place rather than read as U+FFFD, which would then be written on (a LEGO's text goes into canon).
 */
export function decodeText(bytes: Buffer, file = 'the file'): string {
  const text = strictUtf8(bytes)
  if (text === null) {
    const at = firstInvalid(bytes)
    const {line, column} = locate(bytes.toString('latin1', 0, at), at) // latin1: one char per byte
    throw new InputError({
      code: 'E_INPUT_ENCODING',
      message: `${file} is not valid UTF-8: byte ${at} (line ${line}, column ${column}) is 0x${bytes[at]?.toString(16).padStart(2, '0')}.`,
      hint: `Save ${file} as UTF-8, replacing the byte at ${file}:${line}:${column} with the character meant.`,
      details: {file, byte: at, line, column},
    })
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** Offset of the first invalid UTF-8 byte: where the lossy decoding, encoded again, differs. */
function firstInvalid(bytes: Buffer): number {
  const again = Buffer.from(bytes.toString('utf8'), 'utf8')
  let i = 0
  while (i < bytes.length && bytes[i] === again[i]) i++
  return i
}

/** Reads a text file; a leading BOM is dropped. */
export async function readText(file: string): Promise<string> {
  return decodeText(await readBytes(file), file)
}

/**
 * Reads and parses a JSON file that wicker needs. A file that is not JSON is an InputError naming
 * the file, line and column, and what to do about it.
 */
export async function readJsonFile(file: string, what: string, options: ReadOptions = {}): Promise<{value: unknown; text: string; bytes: Buffer}> {
  const bytes = await readBytes(file, options)
  const text = decodeText(bytes, file)
  const value = parseJsonOf(text, file, what)
  refuseUnreadable(bytes, text, file, what)
  return {value, text, bytes}
}

/**
 * What no course input may hold, because it cannot be carried on faithfully (a lone surrogate in a
 * LEGO's text or a plan's phrase would be written into canon, which then refuses it), could crash
 * the recursive code after the parse (nesting), or could pollute prototypes. Duplicate keys and big
 * numbers are left to JSON's usual reading here: these files are read, not written back.
 */
const UNREADABLE = new Set<StrictKind>(['lone-surrogate', 'too-deep', 'forbidden-key'])
const INPUT_MAX_DEPTH = 64

/**
 * Whether a JSON file's bytes (strict UTF-8) certainly hold none of UNREADABLE's problems, told
 * without the strict scan (about half its time on a 17 MB lego_pairs.json): a lone surrogate can
 * only come from a `\u` escape (the bytes are strict UTF-8), and so can a forbidden key written with
 * escapes (no other escape makes a letter); a forbidden key written plainly is a string of exactly
 * its name; and nesting is the text's own, counted outside strings with room to spare (not the parsed value's: a duplicate
 * key, which JSON.parse reads as its last copy, can hide deep nesting under its first). false says
 * nothing: scan it.
 */
export function plainlyReadable(bytes: Uint8Array): boolean {
  return plainBytes(bytes, INPUT_MAX_DEPTH - 4)
}
/** the forbidden keys' names, as the bytes between their quotes (the only spelling without a `\u` escape) */
const FORBIDDEN_NAMES = ['__proto__', 'constructor', 'prototype'].map((name) => Buffer.from(name))

function isForbiddenName(bytes: Uint8Array, start: number, length: number): boolean {
  const first = bytes[start]
  // most strings of these lengths are words: their first byte tells them apart
  if (first !== 0x5f && first !== 0x63 && first !== 0x70) return false
  return FORBIDDEN_NAMES.some((name) => name.length === length && name.every((b, k) => bytes[start + k] === b))
}

/**
 * One pass over the JSON bytes (UTF-8: no byte of a multi-byte character is ASCII): false at a `\u`
 * escape, at a string that is a forbidden key's name, or where arrays and objects nest deeper than
 * `max` (brackets inside strings skipped). About half the time of a regex and a loop over the text.
 */
function plainBytes(bytes: Uint8Array, max: number): boolean {
  let depth = 0
  const n = bytes.length
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!
    if (c === QUOTE) {
      const start = i + 1
      // to the closing quote: an escape's next byte is never it
      for (i++; i < n; i++) {
        const d = bytes[i]!
        if (d === BACKSLASH) {
          if (bytes[++i] === 0x75) return false // u: a \u escape
        } else if (d === QUOTE) break
      }
      const length = i - start
      if ((length === 9 || length === 11) && isForbiddenName(bytes, start, length)) return false
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return false
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--
  }
  return true
}

function refuseUnreadable(bytes: Uint8Array, text: string, file: string, what: string): void {
  if (plainlyReadable(bytes)) return
  const problems = strictProblems(text, {maxDepth: INPUT_MAX_DEPTH, maxProblems: 10, kinds: UNREADABLE})
  if (problems.length === 0) return
  throw new InputError({
    code: 'E_INPUT_STRICT',
    message: `${what} ${file} holds what wicker cannot carry on faithfully:\n${problems.map((p) => `  ${describeProblem(p)}`).join('\n')}`,
    hint: `Fix each place in ${file} (complete or remove a lone \\uD8xx/\\uDCxx escape; flatten nesting deeper than ${INPUT_MAX_DEPTH} levels; rename a __proto__/constructor/prototype key), then run the command again.`,
    details: {file, places: problems},
  })
}

/** Parses bytes already read; the same messages as readJsonFile. */
export function parseJsonBytes(bytes: Buffer, file: string, what: string): unknown {
  return parseJsonOf(decodeText(bytes, file), file, what)
}

/** Parses text already decoded; the same messages as readJsonFile. */
export function parseJsonOf(text: string, file: string, what: string): unknown {
  if (text.trim() === '') {
    throw new InputError({
      code: 'E_INPUT_EMPTY',
      message: `${what} ${file} is empty.`,
      hint: `Restore ${file} from version control or regenerate it.`,
      details: {file},
    })
  }
  const parsed = parseJsonText(text)
  if (!parsed.ok) {
    const {line, column} = parsed.failure.location
    throw new InputError({
      code: 'E_INPUT_JSON',
      message: `${what} ${file} is not valid JSON: ${parsed.failure.reason} at line ${line}, column ${column}.`,
      hint: `Fix the JSON at ${file}:${line}:${column} (a missing comma or bracket, or text around the JSON), then run the command again.`,
      details: {file, line, column},
    })
  }
  return parsed.value
}

export interface ReadJsonOptions extends CheckedJsonOptions {
  read?: ReadOptions
}

export {checkedJson, checkJson}

/**
 * The one reader of the JSON files wicker reads back (plans, manifests, run plans, packets, state):
 * guarded read, strict UTF-8, JSON with line and column, then the schema, each failure naming the
 * file, the place and the fix. A file that is not JSON is refused like one that fails its schema.
 */
export async function readJson<S extends z.ZodType>(file: string, schema: S, options: ReadJsonOptions): Promise<z.output<S>> {
  let value: unknown
  try {
    value = (await readJsonFile(file, options.what, options.read)).value
  } catch (error) {
    // not JSON (or not UTF-8, or hostile): the same kind of damage as a wrong field, so the same error
    if (options.refuse && error instanceof InputError) throw options.refuse({...error.toJSON(), hint: `${error.hint ?? ''} ${options.hint}`.trim()})
    throw error
  }
  return checkedJson(value, file, schema, options)
}

/** A cache as read: its checked value, or why it cannot be used (and, when it is JSON, what it holds). */
export type CacheRead<T> = {ok: true; value: T} | {ok: false; problem: string; value?: unknown}

/**
 * A cache wicker wrote for itself (.wicker/extract.json, .wicker/canon-index.json): the checked
 * value; null when there is none; or why it cannot be used (not a regular file, not JSON, failing
 * its schema). A cache is never an error: the caller rebuilds what it holds, and says why.
 */
export async function readJsonCache<S extends z.ZodType>(file: string, schema: S, read: ReadOptions = {}): Promise<CacheRead<z.output<S>> | null> {
  let value: unknown
  try {
    value = (await readJsonFile(file, 'Cache', read)).value
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null
    if (error instanceof WickerError) return {ok: false, problem: error.message}
    throw error
  }
  const checked = checkJson(value, schema)
  return checked.ok ? {ok: true, value: checked.data} : {ok: false, problem: `${checked.problems.slice(0, 3).join('; ')}`, value}
}
