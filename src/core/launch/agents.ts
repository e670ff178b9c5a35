import {join} from 'node:path'

import {UsageError} from '../errors.js'
import {CODE_TREE} from '../package-root.js'
import type {AGENTS} from '../schemas/config.js'
import {ATTEMPT_CLASSES} from '../schemas/ledger.js'
import {findProgram} from '../proc/program.js'
import type {AttemptClass} from './classify.js'
import {parseCommandWords} from './command-words.js'
import {openAiEnv, type OpenAiSettings} from './openai/settings.js'

/**
 * How each agent CLI is started headless and how its output is read (shared/research/agent-fan-out.md).
 * The prompt always goes in by stdin, which is then closed; arguments are an array, never a shell
 * string. The agent writes its JSON to $WICKER_OUTPUT, or else it is taken from what it prints.
 */
export type AgentKind = (typeof AGENTS)[number]

export interface AgentCall {
  packetId: string
  packetFile: string
  promptFile: string
  outputFile: string
  run: string
  attempt: number
}

export interface AgentReport {
  /** text that may hold the output JSON (final message, response…) */
  text: string
  /** the agent said it failed */
  error: string | null
  tokens: {input: number; output: number} | null
  costUsd: number | null
  /** the attempt's class as the agent knows it for sure (wicker's own agents say it), with a rate limit's reset */
  class?: AttemptClass | null
  resetInMs?: number | null
  /**
   * The agent said, in a structured event, that its rate limit was hit (claude's `rate_limit_event`
   * with status "rejected"), and when it resets, in ms from when its output was read (null: not said).
   * This wins over any reset time written in its words.
   */
  rateLimit?: {resetInMs: number | null} | null
  /**
   * What the agent said about how it went, searched for failure words (auth, rate limit) instead of
   * all it printed: a stream-json transcript also holds the agent's own work, whose words must not
   * read as a failure ("forbidden" in a phrase is not a 403). Unset: all it printed is searched.
   */
  said?: string
}

/** `launch --sessions orchestrator`: what one session of a group is started with. */
export interface SessionCall {
  /** the session's orchestrator prompt (also on stdin) */
  promptFile: string
  /** the work folder the packets' output files are in */
  workDir: string
  run: string
}

export interface Agent {
  kind: AgentKind
  command: string
  args(call: AgentCall): string[]
  /** variables this agent's process gets besides the WICKER_* of every attempt (its settings; never a secret) */
  env?: Record<string, string>
  /** an orchestrator session's arguments; absent for an agent that cannot start workers of its own */
  sessionArgs?(call: SessionCall): string[]
  /** `now`: the clock a structured reset time is measured from */
  read(stdout: string, exitCode: number | null, now?: number): AgentReport
  /** exit codes that mean bad credentials or input, never worth a retry */
  authExit(exitCode: number | null): boolean
  /** a batch agent: the provider whose batch API runs the packets (core/launch/batch/), no process per packet */
  batch?: 'anthropic' | 'openai'
}

export const BUILTIN_AGENT = join(CODE_TREE, 'agent', 'builtin.js')
export const OPENAI_AGENT = join(CODE_TREE, 'agent', 'openai-compatible.js')

function jsonLines(stdout: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = []
  for (const line of stdout.split('\n')) {
    const t = line.trim()
    if (!t.startsWith('{')) continue
    try {
      out.push(JSON.parse(t) as Record<string, unknown>)
    } catch {
      // not an event line
    }
  }
  return out
}

/** The last JSON object in the output, whole (claude and gemini print one, maybe pretty). */
function lastObject(stdout: string): Record<string, unknown> | null {
  const lines = jsonLines(stdout)
  if (lines.length > 0) return lines.at(-1)!
  const start = stdout.indexOf('{')
  if (start < 0) return null
  try {
    return JSON.parse(stdout.slice(start)) as Record<string, unknown>
  } catch {
    return null
  }
}

/** A count or amount an agent reported: finite and not negative, or nothing (a negative cost would lower the --max-cost-usd sum). */
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0)
const amount = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null)

const builtin: Agent = {
  kind: 'builtin',
  command: process.execPath,
  args: () => [BUILTIN_AGENT],
  read(stdout) {
    const result = jsonLines(stdout).find((o) => o.type === 'result')
    return {text: stdout, error: result?.is_error ? String(result.result ?? 'error') : null, tokens: null, costUsd: null}
  },
  authExit: () => false,
}

/** An epoch time an agent named: seconds (claude's resetsAt), or milliseconds when that large; null when not a time. */
function epochMs(v: unknown): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return null
  return v >= 1e12 ? v : v * 1000
}

/**
 * claude's `rate_limit_event`s (`{"type":"rate_limit_event","rate_limit_info":{"status":"allowed" |
 * "allowed_warning" | "rejected","resetsAt":<epoch s>,"rateLimitType":"five_hour",…}}`): "allowed"
 * and "allowed_warning" are news, not failures; "rejected" (or overage in use and rejected) is the
 * limit hit. The latest reset of the limits hit is when work can go on; one already past is no reset.
 */
export function claudeRateLimit(events: ReadonlyArray<Record<string, unknown>>, now: number): AgentReport['rateLimit'] {
  let hit = false
  let resetAt: number | null = null
  for (const e of events) {
    if (e.type !== 'rate_limit_event') continue
    const info = (typeof e.rate_limit_info === 'object' && e.rate_limit_info !== null ? e.rate_limit_info : e) as Record<string, unknown>
    const overage = info.isUsingOverage === true && info.overageStatus === 'rejected'
    if (info.status !== 'rejected' && !overage) continue
    hit = true
    const at = epochMs(info.status === 'rejected' ? info.resetsAt : (info.overageResetsAt ?? info.resetsAt))
    if (at !== null && at > now) resetAt = Math.max(resetAt ?? 0, at)
  }
  return hit ? {resetInMs: resetAt === null ? null : resetAt - now} : null
}

/** The text blocks of claude's last assistant message (its final words when no result event came). */
function lastAssistantText(events: ReadonlyArray<Record<string, unknown>>): string {
  for (const e of [...events].reverse()) {
    if (e.type !== 'assistant') continue
    const content = (e.message as Record<string, unknown> | undefined)?.content
    if (!Array.isArray(content)) continue
    const text = content.filter((b): b is {type: 'text'; text: string} => b?.type === 'text' && typeof b.text === 'string').map((b) => b.text).join('\n')
    if (text) return text
  }
  return ''
}

/** claude's `errors[]` on a result (strings, or objects with an error or message). */
const errorWords = (v: unknown) => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : typeof x === 'object' && x !== null ? String((x as Record<string, unknown>).message ?? (x as Record<string, unknown>).error ?? '') : '')).filter(Boolean) : [])

/**
 * claude -p with `--output-format stream-json --verbose` (stream-json needs --verbose with -p): NDJSON
 * events, a `system` init, `assistant` and `user` messages, `rate_limit_event`s, and a final `result`
 * (result text, is_error, usage, total_cost_usd). A single JSON object (--output-format json) is read too.
 */
const claude = (bin: string): Agent => ({
  kind: 'claude',
  command: bin,
  args: () => ['-p', '--output-format', 'stream-json', '--verbose', '--max-turns', '30', '--permission-mode', 'acceptEdits', '--allowedTools', 'Read,Write,Edit', '--strict-mcp-config', '--mcp-config', '{"mcpServers":{}}'],
  // an orchestrator starts its workers with the Task tool (subagents), and needs the turns for a group
  sessionArgs: () => ['-p', '--output-format', 'stream-json', '--verbose', '--max-turns', '200', '--permission-mode', 'acceptEdits', '--allowedTools', 'Read,Write,Edit,Task', '--strict-mcp-config', '--mcp-config', '{"mcpServers":{}}'],
  read(stdout, _exitCode, now = Date.now()) {
    const events = jsonLines(stdout)
    const r = events.findLast((e) => e.type === 'result') ?? (events.length === 0 ? lastObject(stdout) : null)
    const rateLimit = claudeRateLimit(events, now)
    // lines that are not events: a CLI that fails before streaming prints plain words ("You've hit your limit · resets 1pm")
    const plain = stdout.split('\n').filter((l) => l.trim() && !l.trim().startsWith('{')).join('\n')
    if (!r) {
      const text = events.length > 0 ? lastAssistantText(events) : stdout
      return {text, error: null, tokens: null, costUsd: null, rateLimit, said: events.length > 0 ? plain : stdout}
    }
    const usage = (r.usage ?? {}) as Record<string, unknown>
    const failed = r.is_error === true || (typeof r.subtype === 'string' && r.subtype.startsWith('error'))
    const resultText = typeof r.result === 'string' ? r.result : ''
    return {
      text: typeof r.result === 'string' ? r.result : events.length > 0 ? lastAssistantText(events) : stdout,
      error: failed ? `${String(r.subtype ?? 'error')}: ${String(r.result ?? r.api_error_status ?? '')}`.trim() : null,
      tokens: r.usage ? {input: num(usage.input_tokens) + num(usage.cache_read_input_tokens) + num(usage.cache_creation_input_tokens), output: num(usage.output_tokens)} : null,
      costUsd: amount(r.total_cost_usd),
      rateLimit,
      // a successful result's text is the agent's work, not words about how it went
      said: [plain, ...(failed ? [resultText, r.api_error_status === undefined ? '' : `API error ${String(r.api_error_status)}`] : []), ...errorWords(r.errors)].filter(Boolean).join('\n'),
    }
  },
  authExit: () => false,
})

const codex = (bin: string): Agent => ({
  kind: 'codex',
  command: bin,
  args: () => ['exec', '--json', '--sandbox', 'workspace-write', '--skip-git-repo-check', '--ephemeral', '--color', 'never', '-'],
  read(stdout) {
    const events = jsonLines(stdout)
    let text = ''
    let error: string | null = null
    let tokens: AgentReport['tokens'] = null
    for (const e of events) {
      const item = e.item as Record<string, unknown> | undefined
      if (e.type === 'item.completed' && item?.type === 'agent_message' && typeof item.text === 'string') text = item.text
      if (e.type === 'turn.completed' && e.usage) {
        const u = e.usage as Record<string, unknown>
        tokens = {input: num(u.input_tokens) + num(u.cached_input_tokens), output: num(u.output_tokens)}
      }
      if (e.type === 'turn.failed') error = String((e.error as Record<string, unknown> | undefined)?.message ?? 'turn failed')
      if (e.type === 'error') error = String(e.message ?? 'error')
    }
    return {text: text || stdout, error, tokens, costUsd: null}
  },
  authExit: () => false,
})

const gemini = (bin: string): Agent => ({
  kind: 'gemini',
  command: bin,
  args: () => ['-p', 'Follow the instructions given on standard input.', '--output-format', 'json', '--approval-mode', 'auto_edit'],
  read(stdout, exitCode) {
    const r = lastObject(stdout)
    const models = ((r?.stats as Record<string, unknown> | undefined)?.models ?? {}) as Record<string, {tokens?: Record<string, unknown>}>
    const tokens = Object.values(models).reduce<AgentReport['tokens']>((sum, m) => ({input: (sum?.input ?? 0) + num(m.tokens?.prompt), output: (sum?.output ?? 0) + num(m.tokens?.candidates)}), null)
    const err = r?.error as Record<string, unknown> | string | undefined
    return {
      text: typeof r?.response === 'string' ? r.response : stdout,
      error: err ? (typeof err === 'string' ? err : String(err.message ?? 'error')) : exitCode === 53 ? 'turn limit exceeded (exit 53)' : null,
      tokens,
      costUsd: null,
    }
  },
  authExit: (code) => code === 42,
})

const REPORTED = new Set<string>(ATTEMPT_CLASSES)

/**
 * wicker's chat-completions agent (src/agent/openai-compatible.ts), a child process like builtin:
 * its settings go in by environment variables, its last line says the class for sure (an HTTP
 * status is no guess), the reset of a 429 and the tokens the server counted.
 */
const openaiCompatible = (settings: OpenAiSettings): Agent => ({
  kind: 'openai-compatible',
  command: process.execPath,
  args: () => [OPENAI_AGENT],
  env: openAiEnv(settings),
  read(stdout) {
    const r = jsonLines(stdout).findLast((o) => o.type === 'result')
    if (!r) return {text: '', error: null, tokens: null, costUsd: null}
    const t = (r.tokens ?? null) as Record<string, unknown> | null
    const reported = typeof r.class === 'string' && REPORTED.has(r.class) ? (r.class as AttemptClass) : null
    return {
      // the output is the file it wrote: nothing it prints is a candidate
      text: '',
      error: r.is_error === true ? String(r.message ?? 'error') : null,
      tokens: t ? {input: num(t.input), output: num(t.output)} : null,
      costUsd: null,
      // an answer it read whole: if the output does not check, that is invalid output, never a guess
      // from the words printed (a usage of 401 prompt tokens is no 401)
      class: r.is_error === true ? (reported ?? 'crash') : 'invalid-output',
      resetInMs: amount(r.reset_ms),
    }
  },
  authExit: () => false,
})

/**
 * A batch agent (core/launch/batch/): no process per packet, wicker itself sends the batch and reads
 * its results, so nothing here is ever spawned (launch checks `batch` first); `command` is node,
 * which is always there.
 */
const batchAgent = (kind: 'anthropic-batch' | 'openai-batch'): Agent => ({
  kind,
  command: process.execPath,
  batch: kind === 'anthropic-batch' ? 'anthropic' : 'openai',
  args: () => [],
  read: () => ({text: '', error: null, tokens: null, costUsd: null}),
  authExit: () => false,
})

/** `--agent-cmd`: a JSON array, or words split on white space (no shell, no quotes). */
export function parseAgentCommand(template: string): string[] {
  return parseCommandWords(template, '--agent-cmd', 'E_AGENT_CMD')
}

const PLACEHOLDERS: Record<string, (c: AgentCall) => string> = {
  '{packet}': (c) => c.packetFile,
  '{packet_id}': (c) => c.packetId,
  '{prompt_file}': (c) => c.promptFile,
  '{output}': (c) => c.outputFile,
  '{run}': (c) => c.run,
  '{attempt}': (c) => String(c.attempt),
}

const command = (words: string[]): Agent => ({
  kind: 'command',
  command: words[0]!,
  args: (call) => words.slice(1).map((w) => w.replace(/\{[a-z_]+\}/g, (p) => (PLACEHOLDERS[p] ? PLACEHOLDERS[p]!(call) : p))),
  read: (stdout) => ({text: stdout, error: null, tokens: null, costUsd: null}),
  authExit: () => false,
  // a session: {prompt_file} is the session's orchestrator prompt, {output} the work folder of the packets' files
  sessionArgs: (call) => words.slice(1).map((w) => w.replace(/\{[a-z_]+\}/g, (p) => (p === '{prompt_file}' ? call.promptFile : p === '{output}' ? call.workDir : p === '{run}' ? call.run : p))),
})

export function makeAgent(kind: AgentKind, options: {agentCmd?: string | null; agentBin?: string | null; openai?: OpenAiSettings | null}): Agent {
  switch (kind) {
    case 'builtin':
      return builtin
    case 'claude':
      return claude(options.agentBin ?? 'claude')
    case 'codex':
      return codex(options.agentBin ?? 'codex')
    case 'gemini':
      return gemini(options.agentBin ?? 'gemini')
    case 'command':
      if (!options.agentCmd) throw new UsageError({code: 'E_AGENT_CMD', message: '--agent command needs --agent-cmd.', hint: 'For example --agent-cmd \'["my-agent", "--packet", "{packet}", "--out", "{output}"]\'.'})
      return command(parseAgentCommand(options.agentCmd))
    case 'anthropic-batch':
    case 'openai-batch':
      if (!options.openai) throw new UsageError({code: 'E_OPENAI_FLAGS', message: `--agent ${kind} needs --model.`, hint: 'For example --model claude-sonnet-4-5.'})
      return batchAgent(kind)
    case 'openai-compatible':
      if (!options.openai) throw new UsageError({code: 'E_OPENAI_FLAGS', message: '--agent openai-compatible needs --base-url and --model.', hint: 'For example --base-url http://127.0.0.1:11434/v1 --model qwen2.5:7b-instruct.'})
      return openaiCompatible(options.openai)
  }
}

/**
 * The agent's program must be there before any packet starts: a missing `claude` (or a mistyped
 * --agent-cmd program) is the user's mistake, exit 2 once, not a crash per packet and exit 1.
 */
export function checkAgentProgram(agent: Agent, cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  if (findProgram(agent.command, {cwd, env})) return
  const flag = agent.kind === 'command' ? '--agent-cmd' : '--agent-bin'
  const where = agent.command.includes('/') ? `at ${agent.command}` : 'on PATH'
  throw new UsageError({
    code: 'E_AGENT_NOT_FOUND',
    message: `The ${agent.kind} agent's program ${JSON.stringify(agent.command)} was not found ${where} (or is not executable); no packet was started.`,
    hint: agent.kind === 'command' ? `Check the program named first in ${flag} (check the path, or that it is on PATH).` : `Install ${agent.kind}, or give its path with ${flag} (check the path).`,
    details: {agent: agent.kind, command: agent.command, flag},
  })
}
