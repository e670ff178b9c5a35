import {Chalk, type ChalkInstance} from 'chalk'

import {writeTo} from './closed-pipes.js'
import {writeEnvelope, type Envelope} from './envelope.js'
import type {OnProgress} from '../core/progress.js'
import {lineProgress, noProgress, spinnerProgress, type Progress} from './progress.js'

/**
 * The one place that decides how wicker talks to a person: colour, spinners and live task lists.
 * Results go to stdout; progress, hints and warnings to stderr; with --json, stdout carries exactly
 * one JSON document and nothing animates.
 *
 * Three library quirks are handled here: chalk ignores NO_COLOR by itself, ora still prints when
 * disabled unless it is silenced, and listr2 writes to stdout by default.
 */
export interface UiInputs {
  json: boolean
  quiet: boolean
  /** true with --color, false with --no-color, undefined when neither was given */
  color: boolean | undefined
  env: NodeJS.ProcessEnv
  stdoutIsTTY: boolean
  stderrIsTTY: boolean
}

export type ProgressMode = 'tasks' | 'lines' | 'ndjson' | 'none'

export interface UiPolicy {
  json: boolean
  quiet: boolean
  /** chalk level: 0 none, 1 basic, 2 256 colours, 3 truecolor */
  colorLevel: 0 | 1 | 2 | 3
  /** spinners and live task lists (a person at a terminal, not CI) */
  interactive: boolean
  progress: ProgressMode
}

const truthy = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false'
const set = (v: string | undefined) => v !== undefined && v !== ''

/**
 * Colour, first rule that applies wins: --no-color, --color, NO_COLOR (or WICKER_NO_COLOR),
 * FORCE_COLOR (0/false off, 1–3 a level), then colour only when stdout is a terminal that is not
 * TERM=dumb. --json never colours (stdout is a JSON document).
 */
function colorLevelOf(inputs: UiInputs): UiPolicy['colorLevel'] {
  const {env} = inputs
  const depth = (): 1 | 2 | 3 => (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit' ? 3 : /256/.test(env.TERM ?? '') ? 2 : 1)
  const forcedLevel = (): 0 | 1 | 2 | 3 | undefined => {
    const forced = env.FORCE_COLOR
    if (forced === undefined) return undefined
    if (forced === 'false' || forced === '0') return 0
    const n = Number(forced)
    return forced === '' || forced === 'true' || !Number.isInteger(n) || n < 1 ? depth() : (Math.min(3, n) as 1 | 2 | 3)
  }
  if (inputs.json || inputs.color === false) return 0
  if (inputs.color === true) return forcedLevel() || depth()
  if (set(env.NO_COLOR) || truthy(env.WICKER_NO_COLOR)) return 0
  const forced = forcedLevel()
  if (forced !== undefined) return forced
  return inputs.stdoutIsTTY && env.TERM !== 'dumb' ? depth() : 0
}

export function decideUi(inputs: UiInputs): UiPolicy {
  const {env} = inputs
  const ci = truthy(env.CI) || truthy(env.CONTINUOUS_INTEGRATION)
  const dumb = env.TERM === 'dumb'
  const interactive = inputs.stderrIsTTY && !ci && !dumb && !inputs.json && !inputs.quiet
  const progress: ProgressMode = inputs.json ? 'ndjson' : inputs.quiet ? 'none' : interactive ? 'tasks' : 'lines'
  return {json: inputs.json, quiet: inputs.quiet, colorLevel: colorLevelOf(inputs), interactive, progress}
}

export interface Spinner {
  update(text: string): void
  succeed(text?: string): void
  fail(text?: string): void
  stop(): void
}

export class Ui {
  readonly chalk: ChalkInstance

  constructor(
    readonly policy: UiPolicy,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {
    this.chalk = new Chalk({level: policy.colorLevel})
  }

  /** A result line (stdout). Never used in JSON mode. */
  out(line = ''): void {
    writeTo(this.stdout, `${line}\n`)
  }

  /** Progress and hints (stderr); silent with --quiet and --json. */
  info(line: string): void {
    if (!this.policy.quiet && !this.policy.json) writeTo(this.stderr, `${line}\n`)
  }

  /** Warnings (stderr); kept with --quiet, moved into the envelope with --json. */
  warn(line: string): void {
    if (!this.policy.json) writeTo(this.stderr, `${this.chalk.yellow('warning')} ${line}\n`)
  }

  /** An error for a person (stderr). */
  error(message: string, hint?: string): void {
    writeTo(this.stderr, `${this.chalk.red('error')} ${message}\n`)
    if (hint) writeTo(this.stderr, `${this.chalk.dim('hint')}  ${hint}\n`)
  }

  /** The one JSON document of --json (stdout): an envelope, never a bare result. */
  json(envelope: Envelope): void {
    writeEnvelope(this.stdout, envelope)
  }

  /** A spinner on a terminal; elsewhere nothing animates and only the final line is printed. */
  async spinner(text: string): Promise<Spinner> {
    if (!this.policy.interactive) {
      return {
        update: () => undefined,
        succeed: (t) => t && this.info(t),
        fail: (t) => t && this.info(t),
        stop: () => undefined,
      }
    }
    const {default: ora} = await import('ora')
    const spinner = ora({text, stream: this.stderr as NodeJS.WriteStream, isEnabled: true, isSilent: false, discardStdin: false}).start()
    return {
      update: (t) => {
        spinner.text = t
      },
      succeed: (t) => void spinner.succeed(t),
      fail: (t) => void spinner.fail(t),
      stop: () => void spinner.stop(),
    }
  }

  /**
   * Progress of long work, on stderr: a spinner on a terminal, start and end lines in CI or a pipe,
   * nothing with --json or --quiet. Pass `onProgress` to the core; call `end()` before printing.
   */
  async progress(): Promise<Progress> {
    if (this.policy.progress === 'none' || this.policy.progress === 'ndjson') return noProgress
    // a terminal that reports no width (a pty nobody sized: `script`, some `docker exec -t`) makes ora
    // clear lines without end; it gets plain lines
    const width = (this.stderr as NodeJS.WriteStream).columns
    if (!this.policy.interactive || !(width > 0)) return lineProgress((line) => this.info(this.chalk.dim(line)))
    const {default: ora} = await import('ora')
    return spinnerProgress(ora({stream: this.stderr as NodeJS.WriteStream, isEnabled: true, isSilent: false, discardStdin: false, color: this.policy.colorLevel > 0 ? 'cyan' : false}))
  }

  /** Runs long work with progress shown (see progress()); the spinner is gone before the result prints. */
  async withProgress<T>(work: (onProgress: OnProgress, progress: Progress) => Promise<T>): Promise<T> {
    const progress = await this.progress()
    try {
      const value = await work(progress.onProgress, progress)
      progress.end(true)
      return value
    } catch (error) {
      progress.end(false)
      throw error
    }
  }

  /** listr2 options: live list on a terminal, plain lines in CI, silent with --json/--quiet; always on stderr. */
  async listrOptions(): Promise<Record<string, unknown>> {
    const {ListrLogger, ProcessOutput} = await import('listr2')
    const stream = this.stderr as NodeJS.WriteStream
    const logger = new ListrLogger({processOutput: new ProcessOutput(stream, stream)})
    const renderer = this.policy.progress === 'tasks' ? 'default' : this.policy.progress === 'lines' ? 'simple' : 'silent'
    return {
      renderer,
      fallbackRenderer: 'simple',
      rendererOptions: {logger},
      fallbackRendererOptions: {logger},
      exitOnError: false,
      registerSignalListeners: false,
    }
  }
}
