import type {AttemptClass} from '../classify.js'
import {estimateTokens} from '../estimate.js'
import {retryAfterMs} from '../upload.js'
import {structuredOutputSchema, type JsonSchema} from './provider-schema.js'

/**
 * One chat-completions request per packet and how its answer is read, as pure functions: the agent
 * process (src/agent/openai-compatible.ts) does the I/O around them.
 *
 * The request: POST <base-url>/chat/completions, `Authorization: Bearer <key>` when there is a key,
 * body {model, messages: [system, user = the rendered prompt], response_format: {type: "json_schema",
 * json_schema: {name, strict: true, schema}}}; with --no-schema no response_format, and the system
 * message asks for the JSON document alone.
 */
export const SYSTEM_PROMPT = 'You write practice baskets for a language course, exactly as the instructions say. Your answer is the one JSON document they ask for.'
export const PLAIN_JSON_PROMPT = `${SYSTEM_PROMPT} Reply with that JSON document alone: no prose before or after it, no code fences.`
export const SCHEMA_NAME = 'wicker_worker_output'
/** the most of an answer's body read: an output staging takes is far smaller */
export const MAX_ANSWER_BYTES = 16 * 1024 ** 2

export interface ChatMessage {
  role: 'system' | 'user'
  content: string
}

export interface ChatBody {
  model: string
  messages: ChatMessage[]
  response_format?: {type: 'json_schema'; json_schema: {name: string; strict: true; schema: JsonSchema}}
}

export function chatBody(o: {model: string; prompt: string; schema: boolean; legoIds: readonly string[]}): ChatBody {
  const messages: ChatMessage[] = [
    {role: 'system', content: o.schema ? SYSTEM_PROMPT : PLAIN_JSON_PROMPT},
    {role: 'user', content: o.prompt},
  ]
  if (!o.schema) return {model: o.model, messages}
  return {model: o.model, messages, response_format: {type: 'json_schema', json_schema: {name: SCHEMA_NAME, strict: true, schema: structuredOutputSchema(o.legoIds)}}}
}

export const chatUrl = (baseUrl: string) => `${baseUrl}/chat/completions`

/**
 * --max-context: the messages' estimated tokens against the limit; a message when over it. The
 * answer needs room too, so a prompt that only just fits may still be cut by the server: the limit
 * is the prompt's, as the flag says.
 */
export function overContext(messages: readonly ChatMessage[], maxContext: number | null): string | null {
  if (maxContext === null) return null
  const tokens = messages.reduce((sum, m) => sum + estimateTokens(m.content) + 4, 0)
  if (tokens <= maxContext) return null
  return `the prompt is about ${tokens} tokens, over --max-context ${maxContext}: not sent (the server would cut it silently). Split the work smaller (prepare-segments --packet-size) or use a model with a larger context.`
}

export type Answer =
  | {ok: true; content: string; tokens: {input: number; output: number} | null}
  | {ok: false; class: AttemptClass; message: string; resetInMs: number | null; tokens?: {input: number; output: number} | null}

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0)

/** "429 Too Many Requests: <the server's error message>" (an OpenAI-style {error: {message}}, or the body's first words). */
function said(status: number, statusText: string, body: string): string {
  let detail = ''
  try {
    const parsed = JSON.parse(body) as {error?: {message?: unknown} | string; message?: unknown}
    const e = parsed.error
    detail = typeof e === 'string' ? e : typeof e?.message === 'string' ? e.message : typeof parsed.message === 'string' ? parsed.message : ''
  } catch {
    // not JSON
  }
  if (!detail) detail = body.replace(/\s+/g, ' ').trim()
  return `HTTP ${status}${statusText ? ` ${statusText}` : ''}${detail ? `: ${detail.slice(0, 300)}` : ''}`
}

const CONTEXT_WORDS = /context[ _-]?(length|window|size)|maximum context|too many tokens|prompt is too long/i

/**
 * An answer as an attempt's outcome: 429 rate-limited with the Retry-After reset (seconds or an HTTP
 * date); 401/403 auth (stops the run); 404 and redirects auth too (a wrong --base-url or --model fails
 * every packet the same way); 5xx and other statuses crash (retried); a 400 about the context length
 * over-context; a 200 whose answer was cut at the output limit (finish_reason "length"), refused or
 * empty, invalid output.
 */
export function readAnswer(res: {status: number; statusText?: string; retryAfter: string | null; location?: string | null; body: string}, now = Date.now()): Answer {
  const text = said(res.status, res.statusText ?? '', res.body)
  if (res.status === 429) return {ok: false, class: 'rate-limited', message: text, resetInMs: retryAfterMs(res.retryAfter, now)}
  if (res.status === 401 || res.status === 403) return {ok: false, class: 'auth', message: `${text} (check the key in the variable --api-key-env names)`, resetInMs: null}
  if (res.status === 404) return {ok: false, class: 'auth', message: `${text} (check --base-url, which requests go to as <base-url>/chat/completions, and --model)`, resetInMs: null}
  if (res.status >= 300 && res.status < 400) return {ok: false, class: 'auth', message: `HTTP ${res.status}: a redirect${res.location ? ` to ${res.location}` : ''}; give --base-url the server's own URL`, resetInMs: null}
  if (res.status === 400 && CONTEXT_WORDS.test(res.body)) return {ok: false, class: 'over-context', message: text, resetInMs: null}
  if (res.status !== 200) return {ok: false, class: 'crash', message: text, resetInMs: null}
  let parsed: {choices?: Array<{message?: {content?: unknown; refusal?: unknown}; finish_reason?: unknown}>; usage?: {prompt_tokens?: unknown; completion_tokens?: unknown}}
  try {
    parsed = JSON.parse(res.body) as typeof parsed
  } catch {
    return {ok: false, class: 'crash', message: `HTTP 200 with a body that is not JSON: ${res.body.replace(/\s+/g, ' ').trim().slice(0, 200)}`, resetInMs: null}
  }
  const usage = parsed.usage
  const tokens = usage && typeof usage === 'object' ? {input: count(usage.prompt_tokens), output: count(usage.completion_tokens)} : null
  const choice = Array.isArray(parsed.choices) ? parsed.choices[0] : undefined
  const content = choice?.message?.content
  if (choice?.finish_reason === 'length') return {ok: false, class: 'invalid-output', message: 'the answer was cut off at the model\'s output limit (finish_reason "length"): use a model with more room, or smaller packets (prepare-segments --packet-size)', resetInMs: null, tokens}
  if (typeof choice?.message?.refusal === 'string' && choice.message.refusal) return {ok: false, class: 'invalid-output', message: `the model refused: ${choice.message.refusal.slice(0, 300)}`, resetInMs: null, tokens}
  if (typeof content !== 'string' || content.trim() === '') return {ok: false, class: 'invalid-output', message: 'the answer has no content (choices[0].message.content)', resetInMs: null, tokens}
  return {ok: true, content, tokens}
}
