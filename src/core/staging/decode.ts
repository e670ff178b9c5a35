import {locate, parseJsonText, strictUtf8} from '../store/read-json.js'

/**
 * Staging bytes → JSON value, trusting nothing: strict UTF-8 (a BOM is accepted, UTF-16 with a BOM
 * is decoded, invalid bytes are refused rather than turned into U+FFFD), JSON found inside code
 * fences or prose, and `jsonrepair` only when asked for, with the result marked repaired.
 */
export type DecodeResult =
  | {ok: true; value: unknown; repaired: boolean; notes: string[]; json: string}
  | {ok: false; kind: 'encoding' | 'invalid-json' | 'empty'; message: string}

const utf8 = new TextDecoder('utf-8', {fatal: true})

/** UTF-16 strictly too: a lone surrogate unit is refused, not turned into U+FFFD. */
function utf16(encoding: 'utf-16le' | 'utf-16be', bytes: Uint8Array, notes: string[]): {ok: true; text: string; notes: string[]} | {ok: false; kind: 'encoding'; message: string} {
  try {
    return {ok: true, text: new TextDecoder(encoding, {fatal: true}).decode(bytes), notes}
  } catch {
    return {ok: false, kind: 'encoding', message: `not valid ${encoding.toUpperCase()} (a lone surrogate or an odd byte count); save it as UTF-8`}
  }
}

export function decodeBytes(bytes: Uint8Array): {ok: true; text: string; notes: string[]} | {ok: false; kind: 'encoding'; message: string} {
  const notes: string[] = []
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    notes.push('decoded as UTF-16LE (it has a UTF-16 BOM)')
    return utf16('utf-16le', bytes.subarray(2), notes)
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    notes.push('decoded as UTF-16BE (it has a UTF-16 BOM)')
    return utf16('utf-16be', bytes.subarray(2), notes)
  }
  // as TextDecoder does, one leading BOM is dropped without a word; a second is told
  let text = strictUtf8(bytes)
  if (text === null) return {ok: false, kind: 'encoding', message: `not valid UTF-8 (bad byte sequence at byte ${firstInvalidUtf8(bytes)}); save it as UTF-8`}
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1)
    notes.push('a UTF-8 BOM was skipped')
  }
  if (text.includes('\u0000')) return {ok: false, kind: 'encoding', message: 'contains NUL bytes: binary, or UTF-16 without a BOM'}
  return {ok: true, text, notes}
}

/** The JSON inside a reply: a fenced block, or the outermost {…} / […] in prose. */
export function findJson(text: string): {text: string; note: string | null} {
  const trimmed = text.trim()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return {text: trimmed, note: null}
  const fence = /```[a-zA-Z0-9_-]*[ \t]*\r?\n([\s\S]*?)(?:\r?\n```|$)/.exec(text)
  if (fence && /^\s*[[{]/.test(fence[1]!)) return {text: fence[1]!.trim(), note: 'JSON taken from a code fence'}
  const start = text.search(/[[{]/)
  if (start < 0) return {text: trimmed, note: null}
  const open = text[start]!
  const close = open === '{' ? '}' : ']'
  const end = text.lastIndexOf(close)
  if (end > start) return {text: text.slice(start, end + 1), note: 'JSON taken from the text around it'}
  return {text: text.slice(start), note: 'JSON taken from the text around it'}
}

export async function decodeStaging(bytes: Uint8Array, options: {repair: boolean}): Promise<DecodeResult> {
  const decoded = decodeBytes(bytes)
  if (!decoded.ok) return decoded
  if (decoded.text.trim() === '') return {ok: false, kind: 'empty', message: 'the file is empty'}
  const notes = [...decoded.notes]
  const found = findJson(decoded.text)
  if (found.note) notes.push(found.note)
  const parsed = parseJsonText(found.text)
  if (parsed.ok) return {ok: true, value: parsed.value, repaired: false, notes, json: found.text}
  const {line, column} = parsed.failure.location
  const problem = `${parsed.failure.reason} at line ${line}, column ${column}${found.note ? ` of the extracted JSON` : ''}`
  if (!options.repair) return {ok: false, kind: 'invalid-json', message: `invalid JSON: ${problem} (--repair may salvage it)`}
  const {jsonrepair} = await import('jsonrepair')
  try {
    const repairedText = jsonrepair(found.text)
    const again = parseJsonText(repairedText)
    if (!again.ok) throw new Error(again.failure.reason)
    notes.push(`repaired with jsonrepair (${problem})`)
    return {ok: true, value: again.value, repaired: true, notes, json: repairedText}
  } catch (error) {
    return {ok: false, kind: 'invalid-json', message: `invalid JSON that jsonrepair could not salvage: ${problem}; ${(error as Error).message}`}
  }
}

export {locate}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    const size = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
    if (size === 0 || i + size > bytes.length) return i
    for (let k = 1; k < size; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i
    if (size > 1) {
      try {
        utf8.decode(bytes.subarray(i, i + size))
      } catch {
        return i // overlong form or surrogate
      }
    }
    i += size
  }
  return i
}
