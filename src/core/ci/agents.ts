import type {AgentKind} from '../launch/agents.js'

/**
 * What a CI machine needs to run each agent kind: the npm package of its CLI and the environment
 * variable its API key is read from (shared/research/agent-fan-out.md). The key comes from a
 * secret of the CI system under that name unless the user names another secret.
 */
export interface CiAgent {
  kind: AgentKind
  /** npm package of the agent CLI; null for the built-in agent (it ships with wicker) and `command` (the user's own) */
  npmPackage: string | null
  /** environment variable the CLI reads its API key from; null when it needs none */
  keyEnv: string | null
}

export const CI_AGENTS: Record<AgentKind, CiAgent> = {
  builtin: {kind: 'builtin', npmPackage: null, keyEnv: null},
  claude: {kind: 'claude', npmPackage: '@anthropic-ai/claude-code', keyEnv: 'ANTHROPIC_API_KEY'},
  codex: {kind: 'codex', npmPackage: '@openai/codex', keyEnv: 'CODEX_API_KEY'},
  gemini: {kind: 'gemini', npmPackage: '@google/gemini-cli', keyEnv: 'GEMINI_API_KEY'},
  command: {kind: 'command', npmPackage: null, keyEnv: null},
  // not templated yet (its --base-url and --model are not in the templates): refused by ci github and ci k8s
  'openai-compatible': {kind: 'openai-compatible', npmPackage: null, keyEnv: 'OPENAI_API_KEY'},
  // a batch is one launch's, polled until it ends (hours): not for a CI shard's job
  'anthropic-batch': {kind: 'anthropic-batch', npmPackage: null, keyEnv: 'ANTHROPIC_API_KEY'},
  'openai-batch': {kind: 'openai-batch', npmPackage: null, keyEnv: 'OPENAI_API_KEY'},
}

/** The agents a CI template can run: not `command` (its command line is the user's), not `openai-compatible` (its server and model are not templated). */
export type CiAgentKind = Exclude<AgentKind, 'command' | 'openai-compatible' | 'anthropic-batch' | 'openai-batch'>

/** The refusal of an agent no template runs, for both ci commands; null for one they do. */
export function untemplatedAgent(agent: string): {message: string; hint: string} | null {
  if (agent === 'anthropic-batch' || agent === 'openai-batch') {
    return {
      message: `--agent ${agent} cannot go into a CI template: a provider batch is polled for up to 24 hours by the one launch that sent it, not by a shard's job.`,
      hint: `Run launch --agent ${agent} --model M from one machine (it can be stopped and started again: it polls the same batches), or pick another agent for CI.`,
    }
  }
  if (agent !== 'openai-compatible') return null
  return {
    message: '--agent openai-compatible cannot go into a CI template yet: its --base-url and --model are not templated.',
    hint: 'Write the files with --agent builtin, then change the launch line to launch --agent openai-compatible --base-url URL --model M yourself (the key as a secret in OPENAI_API_KEY, or the variable --api-key-env names).',
  }
}

/** The version of wicker writing the template: the CI machines install exactly this one. */
export {wickerVersion} from '../version.js'
