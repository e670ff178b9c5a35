/**
 * wicker's agent for OpenAI-compatible chat-completions servers (ollama, llama.cpp server, vLLM,
 * LM Studio, hosted OpenAI-style APIs), spawned by `wicker launch --agent openai-compatible` like any
 * agent CLI, so launch's timeouts, stopping, ledger and staging apply to it unchanged.
 *
 * Contract: the rendered prompt on stdin; the packet file in WICKER_PACKET (its LEGO ids make the
 * schema); the settings in WICKER_OPENAI_* (core/launch/openai/settings.ts); the API key in the
 * variable WICKER_OPENAI_API_KEY_ENV names (never printed: every message has it blotted out). It
 * sends one request (core/launch/openai/chat.ts), writes the answer's content to WICKER_OUTPUT, and
 * prints one last line, {"type":"result", "is_error", "class", "message", "reset_ms", "tokens"},
 * which the agent's read() in core/launch/agents.ts turns into the attempt's class.
 */
import {readFileSync, writeFileSync} from 'node:fs'

import {chatBody, chatUrl, MAX_ANSWER_BYTES, overContext, readAnswer, type Answer} from '../core/launch/openai/chat.js'
import {OPENAI_ENV} from '../core/launch/openai/settings.js'

const env = process.env
const parent = process.ppid

// An agent never outlives the launcher that started it.
setInterval(() => {
  if (process.ppid !== parent) process.exit(137)
}, 200).unref()

const key = env[env[OPENAI_ENV.apiKeyEnv] ?? '']?.trim() ?? ''
const blot = (text: string) => (key ? text.split(key).join('[key]') : text)

function finish(answer: Answer | {ok: true; tokens: {input: number; output: number} | null}): never {
  const line = answer.ok
    ? {type: 'result', is_error: false, tokens: answer.tokens}
    : {type: 'result', is_error: true, class: answer.class, message: blot(answer.message), reset_ms: answer.resetInMs, tokens: answer.tokens ?? null}
  process.stdout.write(`${JSON.stringify(line)}\n`)
  process.exit(answer.ok ? 0 : 1)
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return ''
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  return text
}

function networkText(error: unknown, url: string): string {
  const cause = error instanceof Error ? (error.cause as {code?: string; message?: string} | undefined) : undefined
  const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
  return `could not reach ${new URL(url).host} (${why})`
}

/** The answer's body, refused past MAX_ANSWER_BYTES (a server that never stops sending is not read into memory whole). */
async function readCapped(res: Response): Promise<string> {
  if (!res.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length
    if (size > MAX_ANSWER_BYTES) finish({ok: false, class: 'invalid-output', message: `the answer is larger than ${MAX_ANSWER_BYTES / 1024 ** 2} MiB: not read`, resetInMs: null})
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function main(): Promise<void> {
  const prompt = await readStdin()
  const packetFile = env.WICKER_PACKET
  const baseUrl = env[OPENAI_ENV.baseUrl]
  const model = env[OPENAI_ENV.model]
  if (!packetFile || !baseUrl || !model || !env.WICKER_OUTPUT) {
    process.stderr.write('wicker openai-compatible agent: WICKER_PACKET, WICKER_OUTPUT, WICKER_OPENAI_BASE_URL and WICKER_OPENAI_MODEL must be set (it is started by `wicker launch --agent openai-compatible`)\n')
    process.exit(2)
  }
  const packet = JSON.parse(readFileSync(packetFile, 'utf8')) as {legos: Array<{id: string}>}
  const maxContext = env[OPENAI_ENV.maxContext] ? Number(env[OPENAI_ENV.maxContext]) : null
  const body = chatBody({model, prompt, schema: env[OPENAI_ENV.schema] !== 'none', legoIds: packet.legos.map((l) => l.id)})
  const over = overContext(body.messages, maxContext)
  if (over) finish({ok: false, class: 'over-context', message: over, resetInMs: null})

  const url = chatUrl(baseUrl)
  let res: Response
  let text: string
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {'content-type': 'application/json', accept: 'application/json', ...(key ? {authorization: `Bearer ${key}`} : {})},
      body: JSON.stringify(body),
      redirect: 'manual',
    })
    process.stderr.write(`HTTP ${res.status} from ${new URL(url).host}\n`)
    text = await readCapped(res)
  } catch (error) {
    finish({ok: false, class: 'crash', message: blot(networkText(error, url)), resetInMs: null})
  }
  const answer = readAnswer({status: res.status, statusText: res.statusText, retryAfter: res.headers.get('retry-after'), location: res.headers.get('location'), body: text})
  if (!answer.ok) finish(answer)
  writeFileSync(env.WICKER_OUTPUT, answer.content.endsWith('\n') ? answer.content : `${answer.content}\n`)
  finish(answer)
}

await main()
