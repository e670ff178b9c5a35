import type {OnProgress} from '../core/progress.js'

/** What a command hands to the core (`onProgress`) and calls once when the work is over. */
export interface Progress {
  onProgress: OnProgress
  /** stops the spinner (before the result is printed) and prints the last step's end line */
  end(ok?: boolean): void
  /** ends the step without an end line (its caller prints its own summary, or asks a question) */
  clear(): void
}

export interface SpinnerLike {
  text: string
  start(): unknown
  render(): unknown
  succeed(text?: string): unknown
  fail(text?: string): unknown
  stop(): unknown
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const counted = (step: string, done?: number, total?: number) => (done === undefined ? step : total === undefined ? `${step} ${done}` : `${step} ${done}/${total}`)

interface StepEvents {
  started(step: string, done?: number, total?: number): void
  ticked(step: string, done?: number, total?: number): void
  ended(step: string, tookMs: number, ok: boolean, last: {done?: number; total?: number}): void
  cleared(): void
}

/** One step at a time, as the core reports them: a new step name ends the one before. */
function stepwise(events: StepEvents, now: () => number): Progress {
  let step: string | undefined
  let started = 0
  let last: {done?: number; total?: number} = {}
  const finish = (ok = true) => {
    if (step === undefined) return
    events.ended(step, now() - started, ok, last)
    step = undefined
  }
  return {
    onProgress(next, done, total) {
      last = {done, total}
      if (next === step) return events.ticked(next, done, total)
      finish()
      step = next
      started = now()
      events.started(next, done, total)
    },
    end: finish,
    clear() {
      step = undefined
      events.cleared()
    },
  }
}

/**
 * A step at a time on a terminal: one spinner whose text follows the step and its count, each
 * finished step left as a ✔ line. Rendered at most every `renderMs` even when the core reports from
 * a synchronous loop (ora's own timer cannot tick then).
 */
export function spinnerProgress(spinner: SpinnerLike, now: () => number = Date.now, renderMs = 80): Progress {
  let rendered = 0
  const steps = stepwise(
    {
      started(step, done, total) {
        spinner.text = counted(step, done, total)
        spinner.start()
        rendered = now()
      },
      ticked(step, done, total) {
        spinner.text = counted(step, done, total)
        if (now() - rendered < renderMs) return
        spinner.render()
        rendered = now()
      },
      ended(step, took, ok) {
        const line = `${step} (${seconds(took)})`
        if (ok) spinner.succeed(line)
        else spinner.fail(line)
      },
      cleared: () => spinner.stop(),
    },
    now,
  )
  return {
    ...steps,
    end(ok = true) {
      steps.end(ok)
      spinner.stop()
    },
  }
}

/**
 * CI and pipes: a line when a step starts, and when it took a second or more one when it ends;
 * never a line per item.
 */
export function lineProgress(write: (line: string) => void, now: () => number = Date.now, endLineAfterMs = 1000): Progress {
  return stepwise(
    {
      started: (step) => write(`${step}…`),
      ticked: () => undefined,
      ended(step, took, ok, last) {
        const count = last.done === undefined ? '' : `, ${counted('', last.done, last.total).trim()}`
        if (!ok || took >= endLineAfterMs) write(`${step}: ${ok ? 'done' : 'failed'} in ${seconds(took)}${count}`)
      },
      cleared: () => undefined,
    },
    now,
  )
}

export const noProgress: Progress = {onProgress: () => undefined, end: () => undefined, clear: () => undefined}
