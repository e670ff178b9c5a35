/**
 * The worker thread of the read-only commands' canon read (usable-off-thread.ts): while the main
 * thread loads lego_pairs, it reads the canon file with the guarded reader, hashes it (unless the
 * caller will not ask for the hash) and scans it (usable-scan.ts; not where canon's index may vouch
 * for a layout, which preview reads on the main thread). It posts the bytes (moved, not copied), the hash and the scan, compacted: the ids as one string,
 * the kinds and spans as typed arrays. Anything that goes wrong here posts `{ok: false}`: the main
 * thread then reads the file itself, and a mistake in the file is told there, as ever.
 */
import {parentPort, workerData} from 'node:worker_threads'

import {sha256Hex} from '../hash.js'
import {readCourseFile} from '../store/read-file.js'
import {scanUsable} from './usable-scan.js'
import type {OffThreadMessage} from './usable-off-thread.js'

const {file, maxDepth, spans, hash, scan: scanning} = workerData as {file: string; maxDepth: number; spans: boolean; hash: boolean; scan: boolean}

async function main(): Promise<void> {
  let message: OffThreadMessage
  const transfer: ArrayBuffer[] = []
  try {
    // with the phrases' spans (validate, the report) in shared memory, which their check worker reads too
    const bytes = await readCourseFile(file, {shared: spans})
    const sha = hash ? sha256Hex(bytes) : null
    // not scanned where canon's index may vouch for a layout (preview): read and hashed only
    const scan = scanning ? scanUsable(bytes, maxDepth, {spans}) : null
    // a Buffer with an ArrayBuffer of its own is moved; one in Node's pool (a small file) is copied;
    // shared memory is shared
    if (!spans && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) transfer.push(bytes.buffer as ArrayBuffer)
    if (scan) transfer.push(scan.kinds.buffer as ArrayBuffer, scan.starts.buffer as ArrayBuffer, scan.ends.buffer as ArrayBuffer)
    if (scan?.shaped) transfer.push(...Object.values(scan.shaped).map((a: ArrayBufferView) => a.buffer as ArrayBuffer))
    message = {ok: true, bytes, sha, scan: scan && {header: scan.header, ids: scan.ids.join('\n'), count: scan.ids.length, kinds: scan.kinds, starts: scan.starts, ends: scan.ends, ...(scan.shaped ? {shaped: scan.shaped} : {})}}
  } catch {
    message = {ok: false}
    transfer.length = 0
  }
  parentPort!.postMessage(message, transfer)
}

await main()
