import type {AttemptClass} from '../classify.js'
import {chatBody, overContext, readAnswer, SCHEMA_NAME, SYSTEM_PROMPT} from '../openai/chat.js'
import {structuredOutputSchema} from '../openai/provider-schema.js'
import type {OpenAiSettings} from '../openai/settings.js'

/**
 * `launch --agent anthropic-batch` / `openai-batch`: each packet's request, the batches they go in,
 * and how each result is read, as pure functions (client.ts does the HTTP, run.ts the launch).
 *
 * openai-batch: each request is one line of the input file, {custom_id, method: "POST", url:
 * "/v1/chat/completions", body}, the body exactly what --agent openai-compatible sends (chat.ts's
 * chatBody: system + user = the rendered prompt, response_format with the provider-safe schema);
 * its result is read by the same readAnswer, from the line's response {status_code, body}.
 *
 * anthropic-batch: {custom_id, params: {model, max_tokens, system, messages: [user = the rendered
 * prompt], tools: [{name: "wicker_worker_output", input_schema: the same provider-safe schema}],
 * tool_choice: {type: "tool", name: "wicker_worker_output"}}}: the tool forced, so the answer is the
 * tool's input, a JSON object of that schema.
 */
export type BatchProvider = 'anthropic' | 'openai'

/** the answer's room: a packet of 4 LEGOs is about 1,600 output tokens */
export const ANTHROPIC_MAX_TOKENS = 16_000
export const ANTHROPIC_VERSION = '2023-06-01'

/** Each provider's limits on one batch (Anthropic: requests or the create body; OpenAI: the input file's lines or bytes). */
export const BATCH_LIMITS: Record<BatchProvider, {requests: number; bytes: number}> = {
  anthropic: {requests: 100_000, bytes: 256 * 1024 ** 2},
  openai: {requests: 50_000, bytes: 200 * 1024 ** 2},
}

/** A request's custom_id: the packet id and the attempt ("p0123456789abcde-2"; Anthropic allows [A-Za-z0-9_-]{1,64}). */
export const customId = (packet: string, attempt: number) => `${packet}-${attempt}`
export function parseCustomId(id: unknown): {packet: string; attempt: number} | null {
  const m = typeof id === 'string' ? /^(p[0-9a-f]{15})-(\d{1,7})$/.exec(id) : null
  return m ? {packet: m[1]!, attempt: Number(m[2])} : null
}

export interface BatchRequest {
  packet: string
  attempt: number
  customId: string
  /** the request as one JSON text: a line of OpenAI's input file, an element of Anthropic's requests[] */
  line: string
}

/** A packet's request, or why it is not sent (over --max-context). */
export function batchRequest(provider: BatchProvider, s: OpenAiSettings, o: {packet: string; attempt: number; prompt: string; legoIds: readonly string[]}): BatchRequest | {refused: string} {
  const id = customId(o.packet, o.attempt)
  const chat = chatBody({model: s.model, prompt: o.prompt, schema: provider === 'anthropic' || s.schema, legoIds: o.legoIds})
  const over = overContext(chat.messages, s.maxContext)
  if (over) return {refused: over}
  if (provider === 'openai') return {packet: o.packet, attempt: o.attempt, customId: id, line: JSON.stringify({custom_id: id, method: 'POST', url: '/v1/chat/completions', body: chat})}
  const params = {
    model: s.model,
    max_tokens: ANTHROPIC_MAX_TOKENS,
    system: SYSTEM_PROMPT,
    messages: [{role: 'user', content: o.prompt}],
    tools: [{name: SCHEMA_NAME, description: 'The worker output the instructions ask for: call this once with the whole JSON document.', input_schema: structuredOutputSchema(o.legoIds)}],
    tool_choice: {type: 'tool', name: SCHEMA_NAME},
  }
  return {packet: o.packet, attempt: o.attempt, customId: id, line: JSON.stringify({custom_id: id, params})}
}

/** The requests split into batches at the provider's limits (count, and bytes of the JSON sent), in order. */
export function splitBatches<T extends {line: string}>(requests: readonly T[], limits: {requests: number; bytes: number}): T[][] {
  const batches: T[][] = []
  let current: T[] = []
  let bytes = 0
  // the framing around the lines: Anthropic's {"requests":[…]} and commas, OpenAI's newlines
  const overhead = 64
  for (const r of requests) {
    const size = Buffer.byteLength(r.line) + 1
    if (current.length > 0 && (current.length >= limits.requests || bytes + size + overhead > limits.bytes)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(r)
    bytes += size
  }
  if (current.length > 0) batches.push(current)
  return batches
}

/** What became of one request of a batch. */
export type BatchResult =
  | {ok: true; content: string; tokens: {input: number; output: number} | null}
  | {ok: false; class: AttemptClass; message: string; tokens: {input: number; output: number} | null}

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0)

/** One line of an Anthropic batch's results: {custom_id, result: {type: succeeded | errored | canceled | expired, message | error}}. */
export function readAnthropicResult(line: Record<string, unknown>): BatchResult {
  const result = (line.result ?? {}) as {type?: unknown; message?: Record<string, unknown>; error?: {error?: {type?: unknown; message?: unknown}; type?: unknown; message?: unknown}}
  if (result.type === 'expired') return {ok: false, class: 'crash', message: 'the request expired before the batch got to it (24 hours): sent again in a new batch', tokens: null}
  if (result.type === 'canceled') return {ok: false, class: 'crash', message: 'the request was canceled with its batch', tokens: null}
  if (result.type === 'errored') {
    const e = result.error?.error ?? result.error
    return {ok: false, class: 'crash', message: `the request errored: ${String(e?.type ?? 'error')}${typeof e?.message === 'string' ? `: ${e.message.slice(0, 300)}` : ''}`, tokens: null}
  }
  if (result.type !== 'succeeded' || !result.message) return {ok: false, class: 'crash', message: `a result of type ${JSON.stringify(result.type)}, not one of succeeded, errored, canceled, expired`, tokens: null}
  const m = result.message
  const u = (m.usage ?? null) as Record<string, unknown> | null
  const tokens = u ? {input: count(u.input_tokens) + count(u.cache_read_input_tokens) + count(u.cache_creation_input_tokens), output: count(u.output_tokens)} : null
  const content = Array.isArray(m.content) ? (m.content as Array<Record<string, unknown>>) : []
  if (m.stop_reason === 'max_tokens') return {ok: false, class: 'invalid-output', message: `the answer was cut off at max_tokens ${ANTHROPIC_MAX_TOKENS} (stop_reason "max_tokens"): use smaller packets (prepare-segments --packet-size)`, tokens}
  const tool = content.find((b) => b?.type === 'tool_use' && b.name === SCHEMA_NAME)
  if (tool && tool.input !== null && typeof tool.input === 'object') return {ok: true, content: JSON.stringify(tool.input), tokens}
  // no tool call: the JSON may be in its words (the output check reads it out of text as for any agent)
  const text = content.filter((b) => b?.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('\n')
  if (text.trim()) return {ok: true, content: text, tokens}
  return {ok: false, class: 'invalid-output', message: `the answer has no ${SCHEMA_NAME} tool call and no text`, tokens}
}

/**
 * One line of an OpenAI batch's output or error file: {custom_id, response: {status_code, body} |
 * null, error: {code, message} | null}; the response read as --agent openai-compatible reads one
 * (a 429 inside a batch is a failed request, retried in the next batch, not a pause).
 */
export function readOpenAiResult(line: Record<string, unknown>): BatchResult {
  const response = line.response as {status_code?: unknown; body?: unknown} | null | undefined
  const error = line.error as {code?: unknown; message?: unknown} | null | undefined
  if (!response || typeof response.status_code !== 'number') {
    const code = String(error?.code ?? 'error')
    return {ok: false, class: 'crash', message: `the request ${code === 'batch_expired' ? 'expired before the batch got to it (24 hours)' : code === 'batch_cancelled' ? 'was cancelled with its batch' : `failed: ${code}`}${typeof error?.message === 'string' ? `: ${error.message.slice(0, 300)}` : ''}`, tokens: null}
  }
  const answer = readAnswer({status: response.status_code, retryAfter: null, body: typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? {})})
  if (answer.ok) return {ok: true, content: answer.content, tokens: answer.tokens}
  // auth inside a batch that was accepted is that request's own failure, not the key's
  const cls: AttemptClass = answer.class === 'auth' || answer.class === 'rate-limited' ? 'crash' : answer.class
  return {ok: false, class: cls, message: answer.message, tokens: answer.tokens ?? null}
}

/** The JSON objects of a JSONL text (blank and broken lines skipped; a request without a result is failed by its absence). */
export function jsonlObjects(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = []
  for (const raw of text.split('\n')) {
    const t = raw.trim()
    if (!t) continue
    try {
      const v = JSON.parse(t) as unknown
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>)
    } catch {
      // a broken line: its request gets no result and is retried
    }
  }
  return out
}

/** A request's cost at the batch price (half the list price per million tokens). */
export function batchCostUsd(tokens: {input: number; output: number} | null, listPrice: {inputUsdPerMTok: number; outputUsdPerMTok: number}): number | null {
  if (!tokens) return null
  return ((tokens.input * listPrice.inputUsdPerMTok + tokens.output * listPrice.outputUsdPerMTok) / 1_000_000) * 0.5
}

/** The list prices a batch agent's cost is figured at when the config names none: Claude Sonnet's and GPT-4.1's (US$ per million tokens). */
export const DEFAULT_LIST_PRICES: Record<BatchProvider, {inputUsdPerMTok: number; outputUsdPerMTok: number}> = {
  anthropic: {inputUsdPerMTok: 3, outputUsdPerMTok: 15},
  openai: {inputUsdPerMTok: 2, outputUsdPerMTok: 8},
}
