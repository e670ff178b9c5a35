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
