import {existsSync} from 'node:fs'
import {basename} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {UsageError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {uploadRecordSchema, type UploadRecordEntry} from '../schemas/uploads.js'
import {checkUploadTarget, type UploadTarget} from '../segments/upload.js'
import {ndjsonAppendText, parseNdjson} from '../store/ndjson.js'
import {readCourseFile} from '../store/read-file.js'
import {appendNoFollow} from '../store/wicker-folder.js'
import type {UploadsResult} from './types.js'

/**
 * `launch --upload URL`: a shard whose machine reaches only a `wicker serve` sends its outputs
 * there. Every output is staged locally first, as always (the staging folder is what launch resumes
 * from); then it is PUT to <URL>/v1/courses/<course>/staging/<staged name> in a small pool, off the
 * scheduler's path, so an attempt's success never waits on the network. What was delivered is in
 * uploads.ndjson beside the launch's ledger: a file listed there with the same bytes and URL is never
 * sent again, and one that is not is sent by the next launch, even when every packet was done.
 * The bearer token is read from an environment variable and goes only into the Authorization header.
 */

export const UPLOAD_DEFAULTS = {
  /** PUTs at once */
  concurrency: 4,
  /** per request, headers and body */
  timeoutMs: 30_000,
  /** requests per file, the first included, for a 429, a 5xx, a timeout or a network error (waits of 1, 2, 4 s) */
  tries: 4,
  /** the first wait after a 5xx or a network error; doubles each time */
  backoffMs: 1000,
  /** the longest wait a Retry-After can ask for */
  maxWaitMs: 60_000,
} as const

export interface UploadSetup {
  target: UploadTarget
  token: string
}

/**
 * --upload and --token-env, checked before anything starts: the URL by checkUploadTarget, the token
 * read from its variable. An error names the variable, never a value.
 */
export function uploadSetup(upload: string, tokenEnv: string | null | undefined, env: NodeJS.ProcessEnv = process.env): UploadSetup {
  const target = checkUploadTarget(upload, tokenEnv ?? undefined)
  const token = env[target.tokenEnv]?.trim()
  if (!token) {
    throw new UsageError({
      code: 'E_UPLOAD_TOKEN',
      message: `--upload needs a bearer token in the environment variable ${target.tokenEnv}, which is ${env[target.tokenEnv] === undefined ? 'not set' : 'empty'}. Nothing was started.`,
      hint: `Make a token on the server's side with \`wicker serve token create <course>\`, then set it here: export ${target.tokenEnv}=<token> (or name another variable with --token-env). Never pass the token itself on the command line.`,
      details: {variable: target.tokenEnv},
    })
  }
  return {target, token}
}

/** The PUT URL of a staged file: the served course by its code, the file by its staging name. */
export function putUrl(target: UploadTarget, course: string, name: string): string {
  return `${target.url}/v1/courses/${encodeURIComponent(course)}/staging/${encodeURIComponent(name)}`
}

const recordKey = (url: string, sha256: string) => `${sha256} ${url}`

/** uploads.ndjson: what was delivered, appended to by the one launch holding the (shard's) lock. */
export class UploadRecord {
  private constructor(
    readonly file: string,
    private readonly delivered: Set<string>,
  ) {}

  /** Opens the record for appending (a symlink at its name is refused), reads it and ends a torn last line. */
  static async open(file: string): Promise<{record: UploadRecord; warnings: string[]}> {
    const existed = existsSync(file)
    await appendNoFollow(file, '')
    const read = existed ? parseNdjson((await readCourseFile(file, {appendOnly: true})).toString('utf8'), uploadRecordSchema) : null
    if (read?.tornTail) await appendNoFollow(file, '\n')
    const warnings = (read?.invalid ?? []).slice(0, 5).map((b) => `${file} line ${b.line} is not an upload record wicker wrote (${b.reason}): ignored`)
    const delivered = new Set((read?.records ?? []).map((r) => recordKey(r.value.url, r.value.sha256)))
    return {record: new UploadRecord(file, delivered), warnings}
  }

  has(url: string, sha256: string): boolean {
    return this.delivered.has(recordKey(url, sha256))
  }

  async add(entry: UploadRecordEntry): Promise<void> {
    await appendNoFollow(this.file, ndjsonAppendText([entry], uploadRecordSchema, 'upload record'))
    this.delivered.add(recordKey(entry.url, entry.sha256))
  }
}

/** `cut`: the next files would fare no better (the token was refused, the server is not there): they are not sent */
type PutOutcome = {ok: true; status: 200 | 201} | {ok: false; status: number | null; message: string; cut?: boolean}

export interface UploaderOptions {
  target: UploadTarget
  token: string
  /** the course's code, as wicker serve names it */
  course: string
  record: UploadRecord
  /** launch's stop: requests in flight are aborted, queued files are not sent */
  signal: AbortSignal
  concurrency?: number
  timeoutMs?: number
  tries?: number
  backoffMs?: number
  maxWaitMs?: number
}

/** A bounded pool of PUTs: offer() queues a staged file and returns at once; drain() waits for them all. */
export class Uploader {
  private readonly queue: string[] = []
  private readonly offered = new Set<string>()
  /** url + sha256 of every file taken up by this launch: the same bytes under the same name go once */
  private readonly handled = new Set<string>()
  private active = 0
  private waiting: Array<() => void> = []
  private sent = 0
  private already = 0
  private readonly failures: UploadsResult['failures'] = []
  /** why files not yet sent will not be: a 401, or a server that could not be reached */
  private cut: string | null = null
  readonly warnings: string[] = []
  private readonly o: Required<UploaderOptions>

  constructor(options: UploaderOptions) {
    this.o = {...UPLOAD_DEFAULTS, ...options}
  }

  /** Queues a staged file (absolute path) for delivery; a file offered twice is taken once. */
  offer(file: string): void {
    if (this.offered.has(file)) return
    this.offered.add(file)
    this.queue.push(file)
    this.pump()
  }

  /** Waits for every offered file; once launch was stopped, files still queued are failures ("not sent"). */
  async drain(): Promise<UploadsResult> {
    while (this.active > 0 || (this.queue.length > 0 && !this.o.signal.aborted)) await new Promise<void>((resolve) => this.waiting.push(resolve))
    for (const file of this.queue.splice(0)) this.failures.push({name: basename(file), status: null, message: 'not sent: launch was stopped'})
    return {url: this.o.target.url, sent: this.sent, already: this.already, failed: this.failures.length, failures: [...this.failures]}
  }

  private pump(): void {
    while (this.active < this.o.concurrency && this.queue.length > 0 && !this.o.signal.aborted) {
      const file = this.queue.shift()!
      this.active++
      this.one(file)
        .catch((error: unknown) => {
          this.failures.push({name: basename(file), status: null, message: this.scrub(error instanceof Error ? error.message : String(error))})
        })
        .finally(() => {
          this.active--
          this.pump()
          for (const wake of this.waiting.splice(0)) wake()
        })
    }
  }

  private async one(file: string): Promise<void> {
    const bytes = await readCourseFile(file, {noFollow: true})
    const sha256 = sha256Hex(bytes)
    const name = basename(file)
    const url = putUrl(this.o.target, this.o.course, name)
    const key = recordKey(url, sha256)
    if (this.handled.has(key)) return
    this.handled.add(key)
    if (this.o.record.has(url, sha256)) {
      this.already++
      return
    }
    if (this.cut !== null) {
      this.failures.push({name, status: null, message: `not sent: ${this.cut}`})
      return
    }
    const got = await this.put(url, bytes)
    if (!got.ok) {
      this.failures.push({name, status: got.status, message: got.message})
      if (got.cut) this.cut ??= got.status === 401 ? 'the server refused the token (401) for an earlier file' : 'the server could not be reached for an earlier file'
      return
    }
    this.sent++
    try {
      await this.o.record.add({name, sha256, url, status: got.status, at: new Date().toISOString()})
    } catch (error) {
      // delivered all the same: the next launch sends it again, and the server answers 200
      this.warnings.push(`${name} was delivered, but ${this.o.record.file} could not be appended to: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  /** One file's PUT with its retries: Retry-After on 429, doubling backoff on 5xx, timeouts and network errors. */
  private async put(url: string, bytes: Buffer): Promise<PutOutcome> {
    for (let attempt = 1; ; attempt++) {
      if (this.o.signal.aborted) return {ok: false, status: null, message: 'not sent: launch was stopped'}
      const backoff = this.o.backoffMs * 2 ** (attempt - 1)
      let retry: {status: number | null; message: string; waitMs: number}
      try {
        const res = await fetch(url, {
          method: 'PUT',
          body: bytes,
          headers: {authorization: `Bearer ${this.o.token}`, 'content-type': 'application/json'},
          redirect: 'manual',
          signal: AbortSignal.any([this.o.signal, AbortSignal.timeout(this.o.timeoutMs)]),
        })
        if (res.status === 200 || res.status === 201) {
          await res.body?.cancel().catch(() => undefined)
          return {ok: true, status: res.status}
        }
        const message = this.scrub(await answerText(res))
        if (res.status === 429) retry = {status: 429, message, waitMs: retryAfterMs(res.headers.get('retry-after')) ?? backoff}
        else if (res.status >= 500 || res.status === 408) retry = {status: res.status, message, waitMs: backoff}
        else if (res.status >= 300 && res.status < 400) return {ok: false, status: res.status, message: `${message}: a redirect${res.headers.get('location') ? ` to ${this.scrub(res.headers.get('location')!)}` : ''}; give --upload the server's own URL`}
        else return {ok: false, status: res.status, message, cut: res.status === 401}
      } catch (error) {
        if (this.o.signal.aborted) return {ok: false, status: null, message: 'not sent: launch was stopped'}
        retry = {status: null, message: this.networkText(error, url), waitMs: backoff}
      }
      if (attempt >= this.o.tries) return {ok: false, status: retry.status, message: `${retry.message} (after ${attempt} tries)`, cut: retry.status === null}
      try {
        await sleep(Math.min(retry.waitMs, this.o.maxWaitMs), undefined, {signal: this.o.signal})
      } catch {
        return {ok: false, status: null, message: 'not sent: launch was stopped'}
      }
    }
  }

  private networkText(error: unknown, url: string): string {
    const host = new URL(url).host
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer from ${host} within ${this.o.timeoutMs / 1000} s`
    const cause = error instanceof Error ? (error.cause as {code?: string; message?: string} | undefined) : undefined
    const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
    return this.scrub(`could not reach ${host} (${why})`)
  }

  /** Whatever a server or a network error says, the token never goes further. */
  private scrub(text: string): string {
    return this.o.token ? text.split(this.o.token).join('[token]') : text
  }
}

/** Retry-After: whole seconds or an HTTP date, as a wait in ms (null when absent or unreadable). */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/** "Token refused: <detail>" from a problem+json body (read up to 16 KiB), or the start of any other body. */
async function answerText(res: Response): Promise<string> {
  const head = res.statusText || `HTTP ${res.status}`
  const text = await readSome(res, 16 * 1024).catch(() => '')
  try {
    const body = JSON.parse(text) as {title?: unknown; detail?: unknown}
    const title = typeof body.title === 'string' ? body.title : null
    const detail = typeof body.detail === 'string' ? body.detail : null
    if (title || detail) return [title, detail].filter(Boolean).join(': ').slice(0, 1000)
  } catch {
    // not JSON: its first words
  }
  const words = text.replace(/\s+/g, ' ').trim().slice(0, 200)
  return words ? `${head}: ${words}` : head
}

async function readSome(res: Response, max: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < max) {
    const {done, value} = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.length
  }
  await reader.cancel().catch(() => undefined)
  return Buffer.concat(chunks).subarray(0, max).toString('utf8')
}
