import type {OpenCourseOptions} from '../open/open-course.js'
import type {AgentKind} from './agents.js'
import type {AttemptClass} from './classify.js'

export interface LaunchOptions extends OpenCourseOptions {
  /** run to launch; default the newest prepared run */
  run?: string | null
  agent: AgentKind
  agentCmd?: string | null
  agentBin?: string | null
  concurrency: number
  /** `--sessions`: one agent session per packet (default), or one orchestrator session per group of packets (session.ts) */
  sessions?: 'packet' | 'orchestrator'
  /** `--group-size`: packets per orchestrator session at most */
  groupSize?: number
  /** pause between starts, ms, and its random share (0.25 = ±25 %) */
  staggerMs: number
  jitter: number
  timeoutMs: number
  idleTimeoutMs: number
  graceMs: number
  retries: number
  backoffMs: number
  /** stop launching once this share (0..1) of finished packets failed */
  halt: number
  maxCostUsd: number | null
  resume: boolean
  retryFailed: boolean
  /** 1-based packet numbers: "1,3-5" */
  only: string | null
  /** staging folder outputs go to; default phase5_baskets_staging/ */
  staging?: string | null
  /** `--shard I/N`: only shard I's packets (segments/shards.ts), with the shard's own ledger and lock */
  shard?: string | null
  /** `--upload URL`: each staged output is also PUT to this `wicker serve` (upload.ts) */
  upload?: string | null
  /** `--token-env NAME`: the environment variable holding its bearer token [default: WICKER_TOKEN] */
  tokenEnv?: string | null
  /** `--agent openai-compatible`: the server's API root (requests go to <baseUrl>/chat/completions) */
  baseUrl?: string | null
  /** `--model`: the model the server is asked for */
  model?: string | null
  /** `--api-key-env NAME`: the environment variable holding its API key [default: OPENAI_API_KEY, which may be unset] */
  apiKeyEnv?: string | null
  /** `--no-schema` (false): a plain JSON instruction instead of response_format with the output's JSON Schema */
  schema?: boolean
  /** `--max-context N`: refuse a packet whose prompt is estimated above N tokens (class over-context, not retried) */
  maxContext?: number | null
  /** `--poll-interval`: a batch agent's first wait between polls (it grows by half each poll, to 10 times this) */
  pollMs?: number
  /** `--upload-backoff`: the first wait before a PUT is sent again after a 5xx, a timeout or a network error (doubling) [default: 1 s] */
  uploadBackoffMs?: number
  /** a batch agent's list prices (the config's agents.<kind>); its cost is half of them [default: Sonnet's $3/$15, GPT-4.1's $2/$8] */
  listPrice?: {inputUsdPerMTok: number; outputUsdPerMTok: number} | null
  /** where the token and key variables are read [default: process.env] */
  env?: NodeJS.ProcessEnv
  /** aborted (first Ctrl-C / SIGTERM): start nothing more, stop every running attempt (TERM, KILL after graceMs), return */
  signal?: AbortSignal
  /** aborted (a second Ctrl-C): KILL every running attempt's tree at once */
  killSignal?: AbortSignal
  onEvent?: (event: LaunchEvent) => void
}

export type LaunchEvent =
  | {type: 'plan'; run: string; packets: number; todo: Array<{packet: string; index: number; legos: number; promptChars: number}>; segments: number}
  | {type: 'skip'; packet: string; index: number; reason: string}
  | {type: 'start'; packet: string; index: number; attempt: number; pid: number | null}
  | {type: 'end'; packet: string; index: number; attempt: number; class: AttemptClass; message: string; durationMs: number; staged: string | null; costUsd?: number | null}
  /** the attempt was stopped because launch was; `staged` when its output was complete and valid all the same */
  | {type: 'interrupted'; packet: string; index: number; attempt: number; staged: string | null}
  | {type: 'retry'; packet: string; index: number; attempt: number; inMs: number}
  | {type: 'pause'; agent: string; untilMs: number; reason: string}
  | {type: 'halt'; reason: string}
  /** `--agent anthropic-batch` / `openai-batch`: a batch was created, or its status or counts changed */
  | {type: 'batch'; provider: 'anthropic' | 'openai'; batch: string; requests: number; status: string; counts: {processing: number; succeeded: number; errored: number; canceled: number; expired: number}}

export interface SegmentTally {
  index: number
  ok: number
  failed: number
  retried: number
  skipped: number
  interrupted: number
  notStarted: number
}

export interface LaunchResult {
  run: string
  agent: AgentKind
  /**
   * Every packet picked (all, or those of --only) is in exactly one: total is their sum. ok: a valid
   * output was staged in this launch (also by an attempt stopped after it finished writing); failed:
   * its last attempt failed; interrupted: stopped mid-attempt with no usable output; notStarted: never
   * started (launch was stopped or halted first); skipped: already done, or not failed (--retry-failed).
   */
  packets: {total: number; ok: number; failed: number; interrupted: number; notStarted: number; skipped: number}
  attempts: number
  staged: string[]
  failures: Array<{packet: string; index: number; class: AttemptClass; message: string}>
  segments: SegmentTally[]
  costUsd: number | null
  halted: string | null
  interrupted: boolean
  ledger: string
  /** `--shard I/N`: "I/N"; null for the whole run */
  shard: string | null
  /** `--upload`: what was delivered to wicker serve; null without it */
  uploads: UploadsResult | null
}

/** `launch --upload`: sent now, already delivered (in uploads.ndjson), and each file not delivered. */
export interface UploadsResult {
  url: string
  sent: number
  already: number
  failed: number
  /** status: the HTTP status, or null for a network error, a timeout or a stop */
  failures: Array<{name: string; status: number | null; message: string}>
}

/** How one attempt starts an agent: what a real attempt spawns and what `launch --dry-run` prints. */
export interface AgentInvocation {
  packet: string
  index: number
  attempt: number
  command: string
  args: string[]
  /** added to wicker's own environment */
  env: Record<string, string>
  /** also added, with a value made as the attempt starts (the marker its processes are tracked by) */
  envAtStart: string[]
  cwd: string
  /** the file whose text goes to the agent's stdin */
  stdinFile: string
  timeoutMs: number
  idleTimeoutMs: number
}

/** `launch --dry-run`: what a launch would start now, nothing started or written. */
export interface LaunchDryRun {
  run: string
  agent: AgentKind
  dryRun: true
  shard: string | null
  packets: {total: number; todo: number; skipped: number}
  skipped: Array<{packet: string; index: number; reason: string}>
  /** each packet's first attempt, exactly as a real launch would start it */
  invocations: AgentInvocation[]
}
