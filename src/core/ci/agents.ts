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
}

/** The version of wicker writing the template: the CI machines install exactly this one. */
export {wickerVersion} from '../version.js'
