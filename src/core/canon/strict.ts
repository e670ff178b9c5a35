import {InputError} from '../errors.js'
import {decodeBytes, firstInvalidUtf8} from '../staging/decode.js'
import {describeProblem, STRICT_FIXES, strictProblems, type StrictKind, type StrictProblem} from '../strict-json.js'
import {parseJsonOf} from '../store/read-json.js'

/**
 * Canon read strictly: with the decoder and the checks staging gets (strict UTF-8, a key twice in
 * one object, lone surrogates, numbers that do not survive a round trip, the depth cap, prototype
 * keys). A merge writes canon back whole, so anything JSON.parse accepts but cannot keep would be
 * changed silently in baskets no plan touched; such a canon is refused instead, naming every place
 * and the fix. Read-only commands refuse too: their answers (coverage, counts) would otherwise be
 * computed from a canon that is not what the file says.
 */
export const CANON_MAX_DEPTH = 64
/**
 * validate reads canon to report on it: a lone surrogate escape (`\ud800`) is kept exactly by a
 * parse and a rewrite (JSON.stringify escapes it again), so validate reads it and flags it as an
 * `encoding` finding; every other command refuses it like the rest.
 */
const ALL_BUT_SURROGATES: ReadonlySet<StrictKind> = new Set<StrictKind>(['duplicate-key', 'unsafe-number', 'too-deep', 'forbidden-key'])
/** places named in one refusal; the count says how many more */
const MAX_PLACES = 20

export interface CanonPlace {
  kind: StrictKind | 'invalid-utf8'
  path: string
  line: number
  column: number
  message: string
}

/** Where in `bytes` a part starts that was checked on its own (a basket read by the layout). */
export interface PartOf {
  /** JSON path of the part in the document */
  path: string
  /** byte offset of the part in the document */
  offset: number
  /** the whole document, for line numbers */
  document: Uint8Array
}

function lineAt(bytes: Uint8Array, offset: number, from = {line: 1, lineStart: 0, counted: 0}): {line: number; column: number} {
  let {line, lineStart} = from
  for (let i = from.counted; i < offset; i++) {
    if (bytes[i] === 10) {
      line++
      lineStart = i + 1
    }
  }
  return {line, column: offset - lineStart + 1}
}

/** Every invalid UTF-8 sequence (up to `max`), each as a place. */
function invalidUtf8Places(bytes: Uint8Array, max: number, base = 0): CanonPlace[] {
  const places: CanonPlace[] = []
  let from = 0
  // places come in order: count lines on from the last one
  const counted = {line: 1, lineStart: 0, counted: 0}
  while (from < bytes.length && places.length < max) {
    const at = from + firstInvalidUtf8(bytes.subarray(from))
    if (at >= bytes.length) break
    const {line, column} = lineAt(bytes, at, counted)
    Object.assign(counted, {line, lineStart: at - column + 1, counted: at})
    places.push({kind: 'invalid-utf8', path: `byte ${base + at}`, line, column, message: `0x${bytes[at]!.toString(16).padStart(2, '0')} is not valid UTF-8 (it would be rewritten as U+FFFD)`})
    from = at + 1
  }
  return places
}

function refusal(file: string, places: CanonPlace[], more: boolean): InputError {
  const kinds = [...new Set(places.map((p) => p.kind))]
  const fixes = kinds.map((k) => (k === 'invalid-utf8' ? 'replace each invalid byte with the character meant, saved as UTF-8' : STRICT_FIXES[k]))
  const listed = places.map((p) => `  ${describeProblem(p)}`).join('\n')
  return new InputError({
    code: 'E_CANON_STRICT',
    message: `Canon ${file} holds ${places.length}${more ? '+' : ''} place(s) that JSON cannot keep as written, so wicker will not read (and could not rewrite) it without changing them:\n${listed}${more ? '\n  … and more' : ''}`,
    hint: `Fix each place in ${file}: ${fixes.join('; ')}. Then run the command again; canon was not changed.`,
    details: {file, places, more},
  })
}

/** Shifts a place found in a part to where it is in the whole document. */
function inDocument(p: StrictProblem | CanonPlace, part: (PartOf & {base: {line: number; column: number}}) | undefined): CanonPlace {
  if (!part) return p
  const {base} = part
  return {
    ...p,
    path: p.path.startsWith('$') ? `${part.path}${p.path.slice(1)}` : `${part.path}, ${p.path}`,
    line: base.line + p.line - 1,
    column: p.line === 1 ? base.column + p.column - 1 : p.column,
  }
}

/**
 * Canon bytes (all of them, or one part with `part`) → JSON value, strictly. Syntax errors are the
 * usual E_INPUT_JSON; anything JSON cannot keep is E_CANON_STRICT with every place (up to 20).
 */
export interface CanonParseOptions {
  maxDepth?: number
  part?: PartOf
  allowLoneSurrogates?: boolean
}

/** What parseCanonQuiet gives for text it would refuse (or that is no JSON): the caller reads the file in full. */
export const REFUSED: unique symbol = Symbol('refused')

/**
 * A part of canon (a basket's value, the rest of the document) parsed with the strict checks of
 * parseCanonStrict at `maxDepth` (depths counted from the part), for a caller that only needs to
 * know whether it passes: REFUSED instead of a refusal, the full read then names the places.
 */
export function parseCanonQuiet(text: string, options: {maxDepth: number; allowLoneSurrogates?: boolean}): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return REFUSED
  }
  const problems = strictProblems(text, {maxDepth: options.maxDepth, maxProblems: 1, kinds: options.allowLoneSurrogates ? ALL_BUT_SURROGATES : undefined})
  return problems.length > 0 ? REFUSED : value
}

export function parseCanonStrict(bytes: Uint8Array, file: string, options: CanonParseOptions = {}): unknown {
  return parseCanonHeld({bytes}, file, options)
}

/**
 * parseCanonStrict of bytes the caller hands over: `held.bytes` is let go (set to null) once they
 * are decoded, so a 100 MB canon's bytes need not stay in memory beside its text and its parse.
 */
export function parseCanonHeld(held: {bytes: Uint8Array | null}, file: string, options: CanonParseOptions = {}): unknown {
  // only on a refusal: where the part starts, as line and column of the document
  const part = () => (options.part ? {...options.part, base: lineAt(options.part.document, options.part.offset)} : undefined)
  // the bytes are only ever in decodeHeld's frame, which has returned before the parse
  return parseCanonText(decodeHeld(held, file, options, part), file, options, part)
}

/** Strict UTF-8 of held bytes (a refusal names every invalid byte); the bytes are let go once decoded. */
function decodeHeld(held: {bytes: Uint8Array | null}, file: string, options: CanonParseOptions, part: () => (PartOf & {base: {line: number; column: number}}) | undefined): string {
  const bytes = held.bytes!
  const decoded = decodeBytes(bytes)
  if (!decoded.ok) {
    const places = invalidUtf8Places(bytes, MAX_PLACES + 1, options.part?.offset ?? 0)
    if (places.length === 0) throw new InputError({code: 'E_CANON_STRICT', message: `Canon ${file} is not UTF-8 text: ${decoded.message}.`, hint: `Save ${file} as UTF-8 JSON.`, details: {file}})
    const where = part()
    throw refusal(file, places.slice(0, MAX_PLACES).map((p) => inDocument(p, where)), places.length > MAX_PLACES)
  }
  held.bytes = null
  return decoded.text
}

/** The parse and the strict checks of decoded text; a separate frame, so the caller's bytes are not kept alive by this one. */
function parseCanonText(text: string, file: string, options: CanonParseOptions, part: () => (PartOf & {base: {line: number; column: number}}) | undefined): unknown {
  const value = parseJsonOf(text, file, 'Canon')
  const problems = strictProblems(text, {maxDepth: options.maxDepth ?? CANON_MAX_DEPTH, maxProblems: MAX_PLACES + 1, kinds: options.allowLoneSurrogates ? ALL_BUT_SURROGATES : undefined})
  if (problems.length > 0) {
    const where = part()
    throw refusal(file, problems.slice(0, MAX_PLACES).map((p) => inDocument(p, where)), problems.length > MAX_PLACES)
  }
  return value
}
