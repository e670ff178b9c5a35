import {Worker} from 'node:worker_threads'

import {compiledScript} from '../package-root.js'
import type {ShapedSpans, UsableScan} from './usable-scan.js'

/**
 * detect's canon read on a second core: a worker thread (usable-worker.ts) reads, hashes and scans
 * the canon while the main thread loads lego_pairs.json. Only from the built CLI (dist/), where the
 * worker is compiled JavaScript; from the TypeScript sources (unit tests) the caller reads in-thread.
 */
export type OffThreadMessage =
  | {ok: true; bytes: Uint8Array; sha: string | null; scan: {header: string; ids: string; count: number; kinds: Uint8Array; starts: Int32Array; ends: Int32Array; shaped?: ShapedSpans} | null}
  | {ok: false}

export interface OffThreadRead {
  bytes: Buffer
  /** null when not asked for */
  sha: string | null
  /** null: the scan did not read it, the full read must */
  scan: UsableScan | null
}

/** the worker's compiled script (the bundle's entry in dist/), or null from the TypeScript sources */
const WORKER = compiledScript('core/canon/usable-worker')

/**
 * 0: canon is read on the main thread; 1: on the worker whatever its size (to compare the two);
 * unset: on the worker when the file is large enough for the worker's start (some 30 ms) to pay.
 */
export const CANON_WORKER_ENV = 'WICKER_CANON_WORKER'
/** below this a canon is scanned in less time than a worker takes to start */
export const OFF_THREAD_BYTES = 8 * 1024 ** 2

/** Whether the worker can run here (a built CLI, not turned off) and pays for a file of `size` bytes. */
export function canReadOffThread(size: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env[CANON_WORKER_ENV]
  if (setting === '0' || (setting !== '1' && size < OFF_THREAD_BYTES)) return false
  return WORKER !== null
}

/**
 * The canon file read, hashed and scanned on a worker thread; null when that did not work out (the
 * file could not be read, the worker failed): the caller then reads it itself, and any mistake is
 * refused there with its usual message and exit code.
 */
export function readOffThread(file: string, maxDepth: number, options: {spans?: boolean; hash?: boolean; scan?: boolean} = {}): Promise<OffThreadRead | null> {
  return new Promise((resolve) => {
    let worker: Worker
    try {
      if (WORKER === null) throw new Error('no compiled worker')
      worker = new Worker(WORKER, {workerData: {file, maxDepth, spans: options.spans === true, hash: options.hash !== false, scan: options.scan !== false}, stdout: true, stderr: true})
    } catch {
      resolve(null)
      return
    }
    let done = false
    const finish = (read: OffThreadRead | null) => {
      if (done) return
      done = true
      resolve(read)
    }
    worker.once('message', (message: OffThreadMessage) => {
      if (!message.ok) return finish(null)
      const {bytes, sha, scan} = message
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      finish({bytes: buffer, sha, scan: scan && {header: scan.header, ids: scan.count === 0 ? [] : scan.ids.split('\n'), kinds: scan.kinds, starts: scan.starts, ends: scan.ends, ...(scan.shaped ? {shaped: scan.shaped} : {})}})
    })
    worker.once('error', () => finish(null))
    worker.once('exit', () => finish(null))
  })
}
