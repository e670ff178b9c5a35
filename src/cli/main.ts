import {Config, flush, handle, run} from '@oclif/core'

/** oclif's settings, of the copy this module runs with (bin/run.js turns its TypeScript lookup off) */
export {settings} from '@oclif/core'

import {EXIT, UsageError, WickerError} from '../core/errors.js'
import {describeFailure, errorEnvelope, jsonWanted, resultEnvelope, writeEnvelope, type Envelope} from './envelope.js'
import {versionResult} from './render/version.js'

const VERSION_FLAGS = new Set(['--version', '-v'])
/** help is text for a person, even under WICKER_JSON */
const HELP_FLAGS = new Set(['--help', '-h'])
/** what @oclif/plugin-not-found exits with after its did-you-mean (the shell's "command not found") */
const NOT_FOUND_EXIT = 127

/**
 * What bin/run.js hands to oclif. A mistake made before any command parses its flags is a usage
 * error (exit 2) like any other: with --json (or WICKER_JSON) it is one error envelope on stdout and
 * nothing on stderr; without, oclif's message (and did-you-mean) on stderr.
 */
export async function main(argv: string[], root: string): Promise<void> {
  const json = jsonWanted(argv, process.env) && !argv.some((a) => HELP_FLAGS.has(a))
  let config: string | Config = root
  if (json) {
    config = await Config.load(root)
    const early = beforeCommand(argv, config)
    if (early) {
      writeEnvelope(process.stdout, early)
      process.exitCode = early.status
      return
    }
  }
  try {
    await run(argv, config)
    // as oclif's execute(): not awaited, so a stdout whose reader went away cannot hold the exit
    flush().catch(() => undefined)
  } catch (error) {
    const e = error as Error & {code?: string; oclif?: {exit?: number}}
    if (e.oclif?.exit === NOT_FOUND_EXIT) e.oclif.exit = EXIT.usage
    // oclif's own exits (this.exit) and every error without --json: oclif prints and exits
    if (!json || e.code === 'EEXIT') return handle(e)
    const {exitCode, info} = describeFailure(e)
    writeEnvelope(process.stdout, errorEnvelope(exitCode, info, []))
    process.exitCode = exitCode
  }
}

/** --json before a command runs: the version, or the error for a missing, misplaced or unknown command. */
export function beforeCommand(argv: readonly string[], config: Config): Envelope | null {
  const rest = argv.filter((a) => a !== '--json')
  if (rest.length > 0 && rest.every((a) => VERSION_FLAGS.has(a))) {
    return resultEnvelope(EXIT.ok, versionResult(config, false), [])
  }
  const commands = config.commandIDs.filter((id) => !config.findCommand(id)?.hidden).sort()
  const list = `Commands: ${commands.join(', ')} (\`${config.bin} --help\` describes them).`
  const first = argv[0]
  const failure = (error: WickerError) => errorEnvelope(error.exitCode, error.toJSON(), [])
  if (first === undefined || rest.length === 0) {
    return failure(new UsageError({code: 'E_USAGE', message: 'no command given.', hint: `Name one first, e.g. \`${config.bin} status <course> --json\`. ${list}`, details: {commands}}))
  }
  if (first.startsWith('-')) {
    const at = argv.findIndex((a) => config.findCommand(a) !== undefined)
    if (at < 0) return failure(new UsageError({code: 'E_USAGE', message: `no command given (${first} is a flag).`, hint: `The command comes first, then its arguments and flags. ${list}`, details: {commands}}))
    const fixed = [config.bin, ...argv.slice(at), ...argv.slice(0, at)].join(' ')
    return failure(new UsageError({code: 'E_USAGE', message: `${argv.slice(0, at).join(' ')} comes before the command ${argv[at]}; flags go after it.`, hint: `Run \`${fixed}\`.`, details: {command: argv[at], flags: argv.slice(0, at)}}))
  }
  if (config.findCommand(first) || config.findTopic(first)) return null
  return failure(new UsageError({code: 'E_COMMAND_NOT_FOUND', message: `${first} is not a ${config.bin} command.`, hint: list, details: {command: first, commands}}))
}
