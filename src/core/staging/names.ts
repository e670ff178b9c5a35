import {firstInvalidUtf8} from './decode.js'

const utf8 = new TextDecoder('utf-8', {fatal: true})

/**
 * A file name as the disk holds it (bytes) → text. Linux allows any bytes but '/' and NUL in a name;
 * one that is not UTF-8 has no string path in Node (it would be read back with U+FFFD, naming
 * another file), so it comes back not ok, with each bad byte shown as \xNN for messages.
 */
export function decodeName(bytes: Uint8Array): {ok: boolean; text: string} {
  try {
    return {ok: true, text: utf8.decode(bytes)}
  } catch {
    return {ok: false, text: escapeBytes(bytes)}
  }
}

/** Valid UTF-8 runs as they are, every other byte as \xNN. */
export function escapeBytes(bytes: Uint8Array): string {
  let text = ''
  let i = 0
  while (i < bytes.length) {
    const valid = firstInvalidUtf8(bytes.subarray(i))
    text += utf8.decode(bytes.subarray(i, i + valid))
    if (i + valid < bytes.length) text += `\\x${bytes[i + valid]!.toString(16).padStart(2, '0')}`
    i += valid + 1
  }
  return text
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Longest staging file name an upload may give, in UTF-8 bytes: room left for `.<n>` and a temp name within 255. */
export const MAX_STAGING_NAME_BYTES = 200

/**
 * Why `name` is not a plain staging file name, or null. The scan reads only what it would list
 * (scan.ts: no dot-file, no temp file, a UTF-8 name) and extract reads `.json` files by their base
 * name, so a name given from outside must be one such base name, nothing that could name a folder.
 */
export function stagingNameProblem(name: string): string | null {
  if (name === '') return 'the name is empty'
  if (LONE_SURROGATE.test(name)) return 'the name holds a lone surrogate (it is not valid Unicode)'
  if (Buffer.byteLength(name, 'utf8') > MAX_STAGING_NAME_BYTES) return `the name is longer than ${MAX_STAGING_NAME_BYTES} bytes`
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'the name holds a control character'
  if (name.includes('/') || name.includes('\\')) return 'the name holds a path separator: give a plain file name'
  if (name.includes('..')) return 'the name holds ".."'
  if (name.startsWith('.')) return 'the name starts with a dot (staging passes over hidden files)'
  if (!name.endsWith('.json') || name === '.json') return 'the name does not end with .json'
  return null
}
