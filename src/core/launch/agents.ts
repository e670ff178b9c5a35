import {fileURLToPath} from 'node:url'

import {UsageError} from '../errors.js'
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
}

export interface Agent {
  kind: AgentKind
  command: string
  args(call: AgentCall): string[]
  /** variables this agent's process gets besides the WICKER_* of every attempt (its settings; never a secret) */
  env?: Record<string, string>
  read(stdout: string, exitCode: number | null): AgentReport
  /** exit codes that mean bad credentials or input, never worth a retry */
  authExit(exitCode: number | null): boolean
}

export const BUILTIN_AGENT = fileURLToPath(new URL('../../agent/builtin.js', import.meta.url))
export const OPENAI_AGENT = fileURLToPath(new URL('../../agent/openai-compatible.js', import.meta.url))

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

const claude = (bin: string): Agent => ({
  kind: 'claude',
  command: bin,
  args: () => ['-p', '--output-format', 'json', '--max-turns', '30', '--permission-mode', 'acceptEdits', '--allowedTools', 'Read,Write,Edit', '--strict-mcp-config', '--mcp-config', '{"mcpServers":{}}'],
  read(stdout) {
    const r = lastObject(stdout)
    if (!r) return {text: stdout, error: null, tokens: null, costUsd: null}
    const usage = (r.usage ?? {}) as Record<string, unknown>
    const failed = r.is_error === true || (typeof r.subtype === 'string' && r.subtype.startsWith('error'))
    return {
      text: typeof r.result === 'string' ? r.result : stdout,
      error: failed ? `${String(r.subtype ?? 'error')}: ${String(r.result ?? r.api_error_status ?? '')}`.trim() : null,
      tokens: r.usage ? {input: num(usage.input_tokens) + num(usage.cache_read_input_tokens) + num(usage.cache_creation_input_tokens), output: num(usage.output_tokens)} : null,
      costUsd: amount(r.total_cost_usd),
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
