import {accessSync, constants, statSync} from 'node:fs'
import {delimiter, isAbsolute, join, resolve} from 'node:path'

/**
 * Where `command` would be found when wicker starts it (src/core/proc/spawn.ts, through execa, no
 * shell): a name without a slash is looked up on PATH, a path is taken relative to the process's cwd.
 * null when nothing executable is there, so a missing agent is a usage error before any packet starts
 * rather than one "crash" per packet.
 */
export function findProgram(command: string, options: {cwd: string; env?: NodeJS.ProcessEnv}): string | null {
  const env = options.env ?? process.env
  const candidates = command.includes('/') ? [isAbsolute(command) ? command : resolve(options.cwd, command)] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command))
  return candidates.find(executable) ?? null
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}
