import {existsSync, statSync} from 'node:fs'
import {dirname, isAbsolute, join, resolve} from 'node:path'

import stripJsonComments from 'strip-json-comments'

import {UsageError} from './errors.js'
import {readNamedText} from './store/named-file.js'
import {parseJsonText, readText} from './store/read-json.js'
import {configSchema, formatIssues, type WickerConfig} from './schemas/config.js'

export const CONFIG_FILE = 'wicker.config.json'

export interface LoadedConfig {
  /** null when no config file was found */
  file: string | null
  config: WickerConfig
}

/** The nearest wicker.config.json in `from` or a parent folder. */
export function findConfigFile(from: string): string | null {
  let dir = resolve(from)
  for (;;) {
    const candidate = join(dir, CONFIG_FILE)
    if (existsSync(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

/** Reads and validates a config file (JSON with comments). Anything wrong is a usage error naming the field. */
export async function loadConfig(options: {file?: string | null; cwd: string}): Promise<LoadedConfig> {
  const file = options.file ? resolve(options.cwd, options.file) : findConfigFile(options.cwd)
  if (!file) return {file: null, config: {}}
  const text = stripJsonComments(await (options.file ? readNamedText(file, {flag: '--config', what: 'Config'}) : readText(file)), {whitespace: true})
  const parsed = parseJsonText(text)
  if (!parsed.ok) {
    const {line, column} = parsed.failure.location
    throw new UsageError({
      code: 'E_CONFIG_JSON',
      message: `Config ${file} is not valid JSON: ${parsed.failure.reason} at line ${line}, column ${column}.`,
      hint: `Fix ${file}:${line}:${column}; comments (// and /* */) are allowed, trailing commas are not.`,
      details: {file, line, column},
    })
  }
  const result = configSchema.safeParse(parsed.value)
  if (!result.success) {
    const problems = formatIssues(result.error)
    throw new UsageError({
      code: 'E_CONFIG_INVALID',
      message: `Config ${file} has ${problems.length === 1 ? 'an invalid field' : `${problems.length} invalid fields`}: ${problems.join('; ')}.`,
      hint: `Fix the field${problems.length === 1 ? '' : 's'} named above in ${file} (see the README's Configuration section).`,
      details: {file, problems},
    })
  }
  const config = result.data
  if (config.coursesDir && !isAbsolute(config.coursesDir)) config.coursesDir = resolve(dirname(file), config.coursesDir)
  return {file, config}
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
