import {UsageError} from '../../errors.js'
import {checkHttpUrl, ENV_NAME, plainHttpToAnotherMachine} from '../../segments/upload.js'

/**
 * `launch --agent openai-compatible`: its flags, checked before anything starts, and the variables
 * that carry them to its agent process (src/agent/openai-compatible.ts), set for that child only.
 * The API key itself is never among them: the child reads it from the variable named here, which it
 * has from wicker's own environment, so the key is in no argument, ledger line, log or message.
 */
export interface OpenAiSettings {
  /** no trailing slash: requests go to <baseUrl>/chat/completions */
  baseUrl: string
  model: string
  /** the environment variable holding the key [default OPENAI_API_KEY]; unset is fine for a local server */
  apiKeyEnv: string
  /** response_format with the worker output's JSON Schema (true), or a plain JSON instruction (--no-schema) */
  schema: boolean
  /** tokens; a prompt estimated above it is refused without a request */
  maxContext: number | null
}

export interface OpenAiFlags {
  baseUrl?: string | null
  model?: string | null
  apiKeyEnv?: string | null
  schema?: boolean
  maxContext?: number | null
}

export const DEFAULT_API_KEY_ENV = 'OPENAI_API_KEY'

/** The variables of the agent process: what `launch --dry-run` shows, never the key. */
export const OPENAI_ENV = {
  baseUrl: 'WICKER_OPENAI_BASE_URL',
  model: 'WICKER_OPENAI_MODEL',
  apiKeyEnv: 'WICKER_OPENAI_API_KEY_ENV',
  schema: 'WICKER_OPENAI_SCHEMA',
  maxContext: 'WICKER_OPENAI_MAX_CONTEXT',
} as const

const FIX_URL = 'Give the server\'s OpenAI-style API root, e.g. --base-url http://127.0.0.1:11434/v1 (ollama), http://127.0.0.1:8080/v1 (llama.cpp server), http://127.0.0.1:8000/v1 (vLLM) or https://api.openai.com/v1; requests go to <base-url>/chat/completions. The key goes in an environment variable (--api-key-env), never in the URL.'

/** --base-url checked: http(s), no credentials, no query or fragment; trailing slashes dropped. */
export function checkBaseUrl(raw: string): string {
  const url = checkHttpUrl(raw, {flag: '--base-url', code: 'E_BASE_URL', credentials: "which would be kept in the run's ledger and logs", after: 'No packet was started.', hint: FIX_URL})
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

const ONLY_FOR = ['baseUrl', 'model', 'apiKeyEnv', 'maxContext'] as const
const FLAG: Record<(typeof ONLY_FOR)[number], string> = {baseUrl: '--base-url', model: '--model', apiKeyEnv: '--api-key-env', maxContext: '--max-context'}

/** The HTTP agents: one chat-completions request per packet, or a provider batch of them. */
export const HTTP_AGENTS = ['openai-compatible', 'anthropic-batch', 'openai-batch'] as const
export type HttpAgent = (typeof HTTP_AGENTS)[number]
const isHttpAgent = (agent: string): agent is HttpAgent => (HTTP_AGENTS as readonly string[]).includes(agent)

/** The batch agents' defaults: the provider's API root (with its version) and the key's variable. */
export const BATCH_DEFAULTS = {
  'anthropic-batch': {baseUrl: 'https://api.anthropic.com/v1', apiKeyEnv: 'ANTHROPIC_API_KEY', example: 'claude-sonnet-4-5'},
  'openai-batch': {baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', example: 'gpt-4.1'},
} as const

/**
 * The settings of an HTTP agent (null for another agent, which must not be given their flags: they
 * would be silently ignored). --agent openai-compatible needs --base-url (a local server needs no
 * key); a batch agent has the provider's API root by default (--base-url moves it, e.g. to a proxy)
 * and needs its key, from ANTHROPIC_API_KEY / OPENAI_API_KEY or the variable --api-key-env names.
 * A warning when the requests would cross the network in clear text (plain http to another
 * machine), as for --upload.
 */
export function openAiSettings(agent: string, flags: OpenAiFlags, env: NodeJS.ProcessEnv = process.env): {settings: OpenAiSettings | null; warnings: string[]} {
  if (!isHttpAgent(agent)) {
    const given = ONLY_FOR.filter((k) => flags[k] != null).map((k) => FLAG[k])
    if (flags.schema === false) given.push('--no-schema')
    if (given.length > 0) throw new UsageError({code: 'E_AGENT_FLAG', message: `${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} only for --agent ${HTTP_AGENTS.join(', ')}, not --agent ${agent}.`, hint: 'Add --agent openai-compatible (or a batch agent), or leave the flag out.', details: {flags: given}})
    return {settings: null, warnings: []}
  }
  const batch = agent === 'openai-compatible' ? null : BATCH_DEFAULTS[agent]
  if (agent === 'anthropic-batch' && flags.schema === false) {
    throw new UsageError({code: 'E_AGENT_FLAG', message: '--no-schema is not for --agent anthropic-batch: its requests always ask for the output through a tool whose input is the worker output\'s schema.', hint: 'Leave out --no-schema.', details: {flags: ['--no-schema']}})
  }
  const baseUrlFlag = flags.baseUrl ?? batch?.baseUrl
  if (!baseUrlFlag || !flags.model?.trim()) {
    throw new UsageError({
      code: 'E_OPENAI_FLAGS',
      message: `--agent ${agent} needs ${[!baseUrlFlag && '--base-url', !flags.model?.trim() && '--model'].filter(Boolean).join(' and ')}.`,
      hint: batch ? `For example --model ${batch.example}.` : 'For example --base-url http://127.0.0.1:11434/v1 --model qwen2.5:7b-instruct (ollama), or --base-url https://api.openai.com/v1 --model gpt-4o-mini.',
      details: {flags: batch ? ['--model'] : ['--base-url', '--model']},
    })
  }
  const baseUrl = checkBaseUrl(baseUrlFlag)
  const defaultEnv = batch?.apiKeyEnv ?? DEFAULT_API_KEY_ENV
  const apiKeyEnv = flags.apiKeyEnv ?? defaultEnv
  if (!ENV_NAME.test(apiKeyEnv)) {
    throw new UsageError({code: 'E_API_KEY_ENV', message: `--api-key-env ${JSON.stringify(apiKeyEnv)} is not an environment variable name.`, hint: `Give a name of letters, digits and "_", not starting with a digit (default ${defaultEnv}); never the key itself.`, details: {flag: '--api-key-env', value: apiKeyEnv}})
  }
  // a variable named on purpose must hold the key, and a provider's batch API always needs one; the
  // default one of openai-compatible may be unset (a local server needs none)
  if ((flags.apiKeyEnv != null || batch) && !env[apiKeyEnv]?.trim()) {
    throw new UsageError({code: 'E_API_KEY', message: `${flags.apiKeyEnv == null ? `--agent ${agent} reads its API key from ${apiKeyEnv}` : `--api-key-env ${apiKeyEnv}`}: that environment variable is ${env[apiKeyEnv] === undefined ? 'not set' : 'empty'}. No packet was started.`, hint: batch ? `Set it: export ${apiKeyEnv}=<key> (or name another variable with --api-key-env).` : `Set it: export ${apiKeyEnv}=<key> (or leave --api-key-env out for a server that needs no key).`, details: {variable: apiKeyEnv}})
  }
  const warnings = plainHttpToAnotherMachine(baseUrl) ? [`--base-url ${baseUrl} is plain http to another machine: every prompt${env[apiKeyEnv]?.trim() ? ' and the API key' : ''} cross the network unencrypted. Use https://, or reach the server through an SSH tunnel on 127.0.0.1.`] : []
  return {settings: {baseUrl, model: flags.model.trim(), apiKeyEnv, schema: flags.schema !== false, maxContext: flags.maxContext ?? null}, warnings}
}

/** The variables the agent process gets (added to wicker's environment for that child only). */
export function openAiEnv(s: OpenAiSettings): Record<string, string> {
  return {
    [OPENAI_ENV.baseUrl]: s.baseUrl,
    [OPENAI_ENV.model]: s.model,
    [OPENAI_ENV.apiKeyEnv]: s.apiKeyEnv,
    [OPENAI_ENV.schema]: s.schema ? 'json-schema' : 'none',
    ...(s.maxContext === null ? {} : {[OPENAI_ENV.maxContext]: String(s.maxContext)}),
  }
}
