import {Args, Command, Flags} from '@oclif/core'

import {surviveClosedPipes, writeTo} from './closed-pipes.js'
import {withFlagSuggestion} from './did-you-mean.js'
import {describeFailure, errorEnvelope, jsonWanted, resultEnvelope} from './envelope.js'
import {decideUi, Ui} from './ui.js'

/** Flags every command has; each can also be set by environment variable. */
export const globalFlags = {
  json: Flags.boolean({description: 'Print one JSON document on stdout: {status, result, warnings}, or {status, name, message, hint, details, warnings} on failure; status is the exit code. Nothing else goes to stdout.', env: 'WICKER_JSON', helpGroup: 'GLOBAL'}),
  'courses-dir': Flags.string({description: 'Folder that holds course folders by code [default: public/vfs/courses if present, else .].', env: 'WICKER_COURSES_DIR', helpGroup: 'GLOBAL'}),
  config: Flags.string({description: 'Config file [default: the nearest wicker.config.json].', env: 'WICKER_CONFIG', helpGroup: 'GLOBAL'}),
  quiet: Flags.boolean({char: 'q', description: 'Print results and warnings only, no progress.', env: 'WICKER_QUIET', helpGroup: 'GLOBAL'}),
  color: Flags.boolean({description: 'Force colour (--color) or turn it off (--no-color); by default NO_COLOR, FORCE_COLOR and whether stdout is a terminal decide.', allowNo: true, helpGroup: 'GLOBAL'}),
}

export const courseArg = Args.string({name: 'course', required: true, description: 'Course folder, or course code under the courses dir (e.g. spa_for_eng).'})

export interface Outcome<R> {
  result: R
  warnings: string[]
  /** the process's exit code, and the envelope's status: 0 ok, 1 findings, 5, 6, 130… (EXIT) */
  exitCode: number
  render: (ui: Ui, result: R) => void
}

interface GlobalFlagValues {
  json: boolean
  quiet: boolean
  color?: boolean
}

/**
 * Every command: parse flags → build options → call one core function → hand the result to one
 * renderer (or the JSON envelope). Errors become a message (or an error envelope) and an exit code.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = globalFlags
  protected ui: Ui | undefined
  /**
   * The warnings sink every course command hands the core (courseOptions): what the core noted before
   * it failed (a stale lock moved aside, then E_CONFIRM) still goes out, in the error envelope or on stderr.
   */
  protected readonly warnings: string[] = []

  override async init(): Promise<void> {
    // for every command: a reader of stdout/stderr going away must not kill the work (closed-pipes.ts)
    surviveClosedPipes()
    await super.init()
  }

  /** What every course command passes to the core: where the course and the config are. */
  protected courseOptions(course: string, flags: {'courses-dir'?: string; config?: string; orientation?: string}) {
    return {
      course,
      cwd: process.cwd(),
      coursesDir: flags['courses-dir'],
      configFile: flags.config,
      orientation: flags.orientation as 'known-target' | 'target-known' | undefined,
      warnings: this.warnings,
    }
  }

  protected makeUi(flags: GlobalFlagValues): Ui {
    this.ui = new Ui(
      decideUi({
        json: flags.json,
        quiet: flags.quiet,
        color: flags.color,
        env: process.env,
        stdoutIsTTY: Boolean(process.stdout.isTTY),
        stderrIsTTY: Boolean(process.stderr.isTTY),
      }),
    )
    return this.ui
  }

  protected finish<R>(ui: Ui, outcome: Outcome<R>): void {
    if (ui.policy.json) ui.json(resultEnvelope(outcome.exitCode, outcome.result, outcome.warnings))
    else {
      for (const warning of outcome.warnings) ui.warn(warning)
      outcome.render(ui, outcome.result)
    }
    process.exitCode = outcome.exitCode
  }

  private wantsJson(): boolean {
    return this.ui ? this.ui.policy.json : jsonWanted(this.argv, process.env)
  }

  override async catch(error: Error & {code?: string}): Promise<void> {
    // oclif's own exits (help, version, this.exit) pass through untouched.
    if (error.code === 'EEXIT') throw error
    // a parse that failed was a parse: else oclif adds "did not parse its arguments" to stderr (NODE_ENV=development or test)
    this.parsed = true
    withFlagSuggestion(error, {...this.ctor.baseFlags, ...this.ctor.flags})
    const {exitCode, info} = describeFailure(error, this.id)
    const ui = this.ui ?? new Ui(decideUi({json: this.wantsJson(), quiet: false, color: this.argv.includes('--no-color') ? false : this.argv.includes('--color') || undefined, env: process.env, stdoutIsTTY: Boolean(process.stdout.isTTY), stderrIsTTY: Boolean(process.stderr.isTTY)}))
    if (this.wantsJson()) ui.json(errorEnvelope(exitCode, info, this.warnings))
    else {
      for (const warning of this.warnings) ui.warn(warning)
      ui.error(info.message, info.hint)
      if (process.env.WICKER_DEBUG && error.stack) writeTo(process.stderr, `${error.stack}\n`)
    }
    process.exitCode = exitCode
  }
}
