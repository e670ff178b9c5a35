import type {AttemptClass} from '../classify.js'
import {MAX_WAIT_MS} from '../policy.js'
import {retryAfterMs} from '../upload.js'
import {ANTHROPIC_VERSION, jsonlObjects, type BatchProvider, type BatchRequest} from './requests.js'

/**
 * The HTTP of the providers' batch APIs, exactly as documented:
 *
 * Anthropic (Message Batches): POST <base>/messages/batches {requests: [{custom_id, params}]};
 * GET <base>/messages/batches/<id> → {processing_status: in_progress | canceling | ended,
 * request_counts: {processing, succeeded, errored, canceled, expired}, results_url}; GET results_url
 * → JSONL. Headers x-api-key and anthropic-version: 2023-06-01.
 *
 * OpenAI (Batch API): POST <base>/files, multipart, purpose=batch and the JSONL input file; POST
 * <base>/batches {input_file_id, endpoint: "/v1/chat/completions", completion_window: "24h"}; GET
 * <base>/batches/<id> → {status: validating | in_progress | finalizing | completed | failed | expired
 * | cancelling | cancelled, request_counts: {total, completed, failed}, output_file_id,
 * error_file_id}; GET <base>/files/<id>/content → JSONL. Header Authorization: Bearer <key>.
 *
 * Every call: a 429 waits for its Retry-After (else backoff) and is sent again, up to 10 times; a 5xx
 * or a network error is sent again after backoff, up to 4 times; a 401/403 is an auth failure
 * (never retried); anything else fails the call. The key goes only into its header and is blotted
 * out of every message.
 */
export class BatchHttpError extends Error {
  constructor(
    message: string,
    readonly class_: AttemptClass,
  ) {
    super(message)
  }
}

export interface BatchCounts {
  processing: number
  succeeded: number
  errored: number
  canceled: number
  expired: number
}

export interface BatchStatus {
  id: string
  /** the provider's own word (in_progress, ended, completed…) */
  status: string
  ended: boolean
  counts: BatchCounts
  /** an OpenAI batch that failed as a whole (its input refused): why */
  failure: string | null
  /** where the results are: Anthropic's results_url, OpenAI's output and error files */
  results: string[]
}

export interface BatchClient {
  provider: BatchProvider
  /** creates one batch of these requests; its id */
  create(requests: readonly BatchRequest[], signal: AbortSignal): Promise<string>
  retrieve(id: string, signal: AbortSignal): Promise<BatchStatus>
  /** every result line of an ended batch */
  results(status: BatchStatus, signal: AbortSignal): Promise<Array<Record<string, unknown>>>
}

export interface ClientOptions {
  baseUrl: string
  key: string
  backoffMs: number
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
}

const MAX_RATE_LIMITED = 10
const MAX_FAILURES = 4

function detail(body: string): string {
  try {
    const parsed = JSON.parse(body) as {error?: {message?: unknown} | string; message?: unknown}
    const e = parsed.error
    const text = typeof e === 'string' ? e : typeof e?.message === 'string' ? e.message : typeof parsed.message === 'string' ? parsed.message : ''
    if (text) return text
  } catch {
    // not JSON
  }
  return body.replace(/\s+/g, ' ').trim()
}

/** One API call with the retries above; the body's text (a JSON or JSONL document). */
async function call(o: ClientOptions, what: string, url: string, init: RequestInit, signal: AbortSignal): Promise<string> {
  const blot = (t: string) => (o.key ? t.split(o.key).join('[key]') : t)
  let rateLimited = 0
  let failures = 0
  for (;;) {
    let status: number
    let text: string
    let retryAfter: string | null = null
    try {
      const res = await fetch(url, {...init, signal, redirect: 'manual'})
      status = res.status
      retryAfter = res.headers.get('retry-after')
      text = await res.text()
    } catch (error) {
      if (signal.aborted) throw new BatchHttpError(`${what}: stopped`, 'crash')
      const cause = error instanceof Error ? (error.cause as {code?: string; message?: string} | undefined) : undefined
      const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
      if (++failures > MAX_FAILURES) throw new BatchHttpError(blot(`${what}: could not reach ${new URL(url).host} (${why})`), 'crash')
      await o.sleep(Math.min(MAX_WAIT_MS, o.backoffMs * 2 ** (failures - 1)), signal)
      continue
    }
    if (status >= 200 && status < 300) return text
    const said = blot(`${what}: HTTP ${status}${text ? `: ${detail(text).slice(0, 300)}` : ''}`)
    if (status === 401 || status === 403) throw new BatchHttpError(`${said} (check the key in the variable --api-key-env names)`, 'auth')
    if (status === 429 && ++rateLimited <= MAX_RATE_LIMITED) {
      await o.sleep(Math.min(MAX_WAIT_MS, retryAfterMs(retryAfter) ?? o.backoffMs * 2 ** (rateLimited - 1)), signal)
      continue
    }
    if (status >= 500 && ++failures <= MAX_FAILURES) {
      await o.sleep(Math.min(MAX_WAIT_MS, o.backoffMs * 2 ** (failures - 1)), signal)
      continue
    }
    throw new BatchHttpError(said, status === 429 ? 'rate-limited' : 'crash')
  }
}

function json(text: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  } catch {
    // below
  }
  throw new BatchHttpError(`${what}: the answer is not a JSON object: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}`, 'crash')
}

const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0)
const id = (v: unknown, what: string) => {
  if (typeof v === 'string' && /^[\w.-]{1,200}$/.test(v)) return v
  throw new BatchHttpError(`${what}: the answer has no usable id (${JSON.stringify(v)?.slice(0, 80)})`, 'crash')
}

export function anthropicClient(o: ClientOptions): BatchClient {
  const headers = {'x-api-key': o.key, 'anthropic-version': ANTHROPIC_VERSION, accept: 'application/json'}
  return {
    provider: 'anthropic',
    async create(requests, signal) {
      const body = `{"requests":[${requests.map((r) => r.line).join(',')}]}`
      const text = await call(o, 'creating the message batch', `${o.baseUrl}/messages/batches`, {method: 'POST', headers: {...headers, 'content-type': 'application/json'}, body}, signal)
      return id(json(text, 'creating the message batch').id, 'creating the message batch')
    },
    async retrieve(batchId, signal) {
      const what = `polling message batch ${batchId}`
      const b = json(await call(o, what, `${o.baseUrl}/messages/batches/${encodeURIComponent(batchId)}`, {method: 'GET', headers}, signal), what)
      const c = (b.request_counts ?? {}) as Record<string, unknown>
      const ended = b.processing_status === 'ended'
      return {
        id: batchId,
        status: String(b.processing_status ?? 'unknown'),
        ended,
        counts: {processing: n(c.processing), succeeded: n(c.succeeded), errored: n(c.errored), canceled: n(c.canceled), expired: n(c.expired)},
        failure: null,
        results: ended && typeof b.results_url === 'string' ? [b.results_url] : [],
      }
    },
    async results(status, signal) {
      const lines: Array<Record<string, unknown>> = []
      for (const url of status.results) lines.push(...jsonlObjects(await call(o, `reading the results of message batch ${status.id}`, url, {method: 'GET', headers}, signal)))
      return lines
    },
  }
}

const OPENAI_ENDED = new Set(['completed', 'failed', 'expired', 'cancelled'])

export function openAiBatchClient(o: ClientOptions): BatchClient {
  const auth = {authorization: `Bearer ${o.key}`, accept: 'application/json'}
  return {
    provider: 'openai',
    async create(requests, signal) {
      const form = new FormData()
      form.append('purpose', 'batch')
      form.append('file', new Blob([`${requests.map((r) => r.line).join('\n')}\n`], {type: 'application/jsonl'}), 'wicker-batch.jsonl')
      const file = id(json(await call(o, 'uploading the batch input file', `${o.baseUrl}/files`, {method: 'POST', headers: auth, body: form}, signal), 'uploading the batch input file').id, 'uploading the batch input file')
      const body = JSON.stringify({input_file_id: file, endpoint: '/v1/chat/completions', completion_window: '24h'})
      return id(json(await call(o, 'creating the batch', `${o.baseUrl}/batches`, {method: 'POST', headers: {...auth, 'content-type': 'application/json'}, body}, signal), 'creating the batch').id, 'creating the batch')
    },
    async retrieve(batchId, signal) {
      const what = `polling batch ${batchId}`
      const b = json(await call(o, what, `${o.baseUrl}/batches/${encodeURIComponent(batchId)}`, {method: 'GET', headers: auth}, signal), what)
      const c = (b.request_counts ?? {}) as Record<string, unknown>
      const status = String(b.status ?? 'unknown')
      const ended = OPENAI_ENDED.has(status)
      const errors = ((b.errors as {data?: Array<{message?: unknown; code?: unknown}>} | null)?.data ?? []).map((e) => String(e.message ?? e.code ?? '')).filter(Boolean)
      const total = n(c.total)
      const done = n(c.completed) + n(c.failed)
      return {
        id: batchId,
        status,
        ended,
        counts: {processing: ended ? 0 : Math.max(0, total - done), succeeded: n(c.completed), errored: n(c.failed), canceled: status === 'cancelled' ? Math.max(0, total - done) : 0, expired: status === 'expired' ? Math.max(0, total - done) : 0},
        failure: status === 'failed' ? `the batch failed as a whole${errors.length > 0 ? `: ${errors.slice(0, 3).join('; ').slice(0, 300)}` : ''}` : null,
        results: [b.output_file_id, b.error_file_id].filter((f): f is string => typeof f === 'string' && f !== ''),
      }
    },
    async results(status, signal) {
      const lines: Array<Record<string, unknown>> = []
      for (const file of status.results) lines.push(...jsonlObjects(await call(o, `reading file ${file} of batch ${status.id}`, `${o.baseUrl}/files/${encodeURIComponent(file)}/content`, {method: 'GET', headers: auth}, signal)))
      return lines
    },
  }
}
