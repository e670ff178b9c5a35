import {spawn, spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  /** stdout parsed as JSON, when it is */
  json: any
  /** the signal that ended it: SIGKILL when it ran past `timeout` (a hang) */
  signal: NodeJS.Signals | null
}

export interface CliOptions {
  cwd?: string
  env?: Record<string, string | undefined>
  timeout?: number
}

/** The environment a user's shell would give, without the wicker settings of the one running the tests. */
export function cliEnv(extra: CliOptions['env']): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, WICKER_JSON: undefined, WICKER_COURSES_DIR: undefined, WICKER_CONFIG: undefined, ...extra}
  // spawn would pass an undefined value on as the string "undefined"
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
  return env as NodeJS.ProcessEnv
}

export function cliRun(code: number | null, stdout: string, stderr: string, signal: NodeJS.Signals | null): CliRun {
  let json: unknown
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }
  return {code, stdout, stderr, json, signal}
}

/** Runs the built wicker binary as a user would. */
export function wicker(args: string[], options: CliOptions = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {cwd: options.cwd ?? process.cwd(), env: cliEnv(options.env), encoding: 'utf8', timeout: options.timeout ?? 60_000, killSignal: 'SIGKILL'})
  return cliRun(result.status, result.stdout, result.stderr, result.signal)
}

/** wicker() without blocking the test process, for runs side by side (test.concurrent); stdin is /dev/null. */
export function wickerAsync(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {cwd: options.cwd ?? process.cwd(), env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeout ?? 60_000, killSignal: 'SIGKILL'})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve(cliRun(code, stdout, stderr, signal)))
  })
}

/** A stack trace looks like "    at fn (file:line:col)". */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m
