import {spawnSync} from 'node:child_process'
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

/** Runs the built wicker binary as a user would. */
export function wicker(args: string[], options: {cwd?: string; env?: Record<string, string | undefined>; timeout?: number} = {}): CliRun {
  const env: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, WICKER_JSON: undefined, WICKER_COURSES_DIR: undefined, WICKER_CONFIG: undefined, ...options.env}
  // spawn would pass an undefined value on as the string "undefined"
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
  const result = spawnSync(process.execPath, [BIN, ...args], {cwd: options.cwd ?? process.cwd(), env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout: options.timeout ?? 60_000, killSignal: 'SIGKILL'})
  let json: unknown
  try {
    json = JSON.parse(result.stdout)
  } catch {
    json = undefined
  }
  return {code: result.status, stdout: result.stdout, stderr: result.stderr, json, signal: result.signal}
}

/** A stack trace looks like "    at fn (file:line:col)". */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m
