import {decodeBytes, findJson, type DecodeResult} from './decode.js'
import {parseJsonText} from '../store/read-json.js'

/**
 * `extract --repair`: salvage of broken agent JSON with jsonrepair, in time that grows with the size.
 *
 * jsonrepair's regular implementation rebuilds its whole output string for every comma or quote it
 * inserts or removes, so a reply with a slip every few lines costs time in the square of its size
 * (1.4 MB: seconds, 13.6 MB: most of an hour). Its streaming implementation works in a fixed window
 * (64 KiB) and is linear; both pass the same test suite. Small texts keep the regular one (the
 * window cannot hold a string longer than itself); above that, the streaming one. A text over
 * `maxRepairSize` is not repaired at all, with a message saying how to go on.
 */
export const REPAIR_DEFAULTS = {maxRepairSize: 8 * 1024 * 1024}

/** Below this, the regular implementation is as fast, and has no window limit. */
const STREAM_FROM = 256 * 1024
const WINDOW = 64 * 1024
/** Up to this, a text the window cannot hold is repaired by the regular implementation (about a second). */
const FALLBACK_UP_TO = 512 * 1024

export async function repairJson(text: string): Promise<string> {
  const {jsonrepair} = await import('jsonrepair')
  if (text.length < STREAM_FROM) return jsonrepair(text)
  try {
    return await repairWindowed(text)
  } catch (error) {
    // a string or a run of white space longer than the window: the regular implementation, while it is still quick
    if (text.length <= FALLBACK_UP_TO) return jsonrepair(text)
    throw new Error(`a string or run of white space is too long to repair in a ${WINDOW / 1024} KiB window (${(error as Error).message})`)
  }
}

async function repairWindowed(text: string): Promise<string> {
  const {jsonrepairTransform} = await import('jsonrepair/stream')
  const transform = jsonrepairTransform({chunkSize: WINDOW, bufferSize: WINDOW})
  const out: string[] = []
  return new Promise<string>((resolve, reject) => {
    // The output is taken as the strings jsonrepair hands over: through the stream they would be
    // turned into UTF-8 one by one, and a surrogate pair cut between two would be lost to U+FFFD.
    transform.push = (chunk: unknown) => {
      if (chunk === null) resolve(out.join(''))
      else out.push(String(chunk))
      return true
    }
    transform.on('error', reject)
    for (let i = 0; i < text.length; ) {
      let end = Math.min(i + WINDOW, text.length)
      // the input pieces are written as UTF-8 each: never cut a surrogate pair in two
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--
      transform.write(text.slice(i, end))
      i = end
    }
    transform.end()
  })
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`

/**
 * A staging file that is not valid JSON, salvaged: the same decoding and JSON-finding as
 * decodeStaging, then repairJson. Not ok when it cannot be decoded, is over the cap, or cannot be
 * salvaged; the message names the first JSON error and what to do.
 */
export async function salvageStaging(bytes: Uint8Array, options: {maxRepairSize: number}): Promise<DecodeResult> {
  const decoded = decodeBytes(bytes)
  if (!decoded.ok) return decoded
  const found = findJson(decoded.text)
  const notes = [...decoded.notes, ...(found.note ? [found.note] : [])]
  const first = parseJsonText(found.text)
  if (first.ok) return {ok: true, value: first.value, repaired: false, notes, json: found.text}
  const {line, column} = first.failure.location
  const problem = `${first.failure.reason} at line ${line}, column ${column}${found.note ? ' of the extracted JSON' : ''}`
  const size = Buffer.byteLength(found.text)
  if (size > options.maxRepairSize) {
    return {ok: false, kind: 'invalid-json', message: `invalid JSON (${problem}), too large to repair automatically (${mib(size)} > ${mib(options.maxRepairSize)} cap): fix it by hand or raise --max-repair-size`}
  }
  try {
    const repaired = await repairJson(found.text)
    const again = parseJsonText(repaired)
    if (!again.ok) throw new Error(again.failure.reason)
    return {ok: true, value: again.value, repaired: true, notes: [...notes, `repaired with jsonrepair (${problem})`], json: repaired}
  } catch (error) {
    return {ok: false, kind: 'invalid-json', message: `invalid JSON that jsonrepair could not salvage: ${problem}; ${(error as Error).message}`}
  }
}
