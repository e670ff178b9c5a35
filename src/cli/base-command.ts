import {Args, Command, Flags} from '@oclif/core'

import {reportBugHint} from '../core/bug-report.js'
import {errnoToIoError, EXIT, WickerError, type ErrorInfo} from '../core/errors.js'
import {surviveClosedPipes, writeTo} from './closed-pipes.js'
import {withFlagSuggestion} from './did-you-mean.js'
import {decideUi, Ui} from './ui.js'

/** Flags every command has; each can also be set by environment variable. */
export const globalFlags = {
  json: Flags.boolean({description: 'Print one JSON document on stdout ({status, result, warnings}); nothing else goes to stdout.', env: 'WICKER_JSON', helpGroup: 'GLOBAL'}),
  'courses-dir': Flags.string({description: 'Folder that holds course folders by code [default: public/vfs/courses if present, else .].', env: 'WICKER_COURSES_DIR', helpGroup: 'GLOBAL'}),
  config: Flags.string({description: 'Config file [default: the nearest wicker.config.json].', env: 'WICKER_CONFIG', helpGroup: 'GLOBAL'}),
  quiet: Flags.boolean({char: 'q', description: 'Print results and warnings only, no progress.', env: 'WICKER_QUIET', helpGroup: 'GLOBAL'}),
  color: Flags.boolean({description: 'Force colour (--color) or turn it off (--no-color); by default NO_COLOR, FORCE_COLOR and whether stdout is a terminal decide.', allowNo: true, helpGroup: 'GLOBAL'}),
}

export const courseArg = Args.string({name: 'course', required: true, description: 'Course folder, or course code under the courses dir (e.g. spa_for_eng).'})

export interface Outcome<R> {
  result: R
  warnings: string[]
  /** 0 ok, 1 findings */
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
    if (ui.policy.json) ui.json({status: 'success', result: outcome.result, warnings: outcome.warnings})
    else {
      for (const warning of outcome.warnings) ui.warn(warning)
      outcome.render(ui, outcome.result)
    }
    process.exitCode = outcome.exitCode
  }

  private wantsJson(): boolean {
    if (this.ui) return this.ui.policy.json
    const env = process.env.WICKER_JSON
    return this.argv.includes('--json') || (env !== undefined && /^(1|true|yes)$/i.test(env))
  }

  override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}; code?: string}): Promise<void> {
    // oclif's own exits (help, version, this.exit) pass through untouched.
    if (error.code === 'EEXIT') throw error
    withFlagSuggestion(error, {...this.ctor.baseFlags, ...this.ctor.flags})
    let exitCode: number
    let info: ErrorInfo
    // a plain I/O failure nobody wrapped is exit 4 with the path and the operation, not a bug
    const io = errnoToIoError(error)
    if (io) {
      exitCode = io.exitCode
      info = io.toJSON()
    } else if (error instanceof WickerError) {
      exitCode = error.exitCode
      info = error.toJSON()
    } else if (error.oclif?.exit === 2 || /Flag|Arg|flag|argument/.test(error.constructor?.name ?? '')) {
      exitCode = EXIT.usage
      info = {code: 'E_USAGE', message: error.message.replace(/\s*\n\s*/g, ' ').replace(/ See more help with --help$/, '').trim(), hint: `See \`wicker ${this.id ?? ''} --help\`.`, details: {reason: error.message}}
    } else {
      exitCode = EXIT.internal
      info = {
        code: 'E_INTERNAL',
        message: `Internal error: ${error.message}`,
        hint: reportBugHint('the command you ran (WICKER_DEBUG=1 prints the stack)'),
        details: process.env.WICKER_DEBUG ? {stack: error.stack} : undefined,
      }
    }
    const ui = this.ui ?? new Ui(decideUi({json: this.wantsJson(), quiet: false, color: this.argv.includes('--no-color') ? false : this.argv.includes('--color') || undefined, env: process.env, stdoutIsTTY: Boolean(process.stdout.isTTY), stderrIsTTY: Boolean(process.stderr.isTTY)}))
    if (this.wantsJson()) ui.json({status: 'error', error: info})
    else {
      ui.error(info.message, info.hint)
      if (process.env.WICKER_DEBUG && error.stack) writeTo(process.stderr, `${error.stack}\n`)
    }
    process.exitCode = exitCode
  }
}
