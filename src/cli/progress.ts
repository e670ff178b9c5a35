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

/**
 * A step at a time on a terminal: one spinner whose text follows the step and its count, each
 * finished step left as a ✔ line. Rendered at most every `renderMs` even when the core reports from
 * a synchronous loop (ora's own timer cannot tick then).
 */
export function spinnerProgress(spinner: SpinnerLike, now: () => number = Date.now, renderMs = 80): Progress {
  let step: string | undefined
  let started = 0
  let rendered = 0
  const finishStep = (ok = true) => {
    if (step === undefined) return
    const line = `${step} (${seconds(now() - started)})`
    if (ok) spinner.succeed(line)
    else spinner.fail(line)
    step = undefined
  }
  return {
    onProgress(next, done, total) {
      if (next !== step) {
        finishStep()
        step = next
        started = now()
        spinner.text = counted(next, done, total)
        spinner.start()
        rendered = now()
        return
      }
      spinner.text = counted(next, done, total)
      if (now() - rendered >= renderMs) {
        spinner.render()
        rendered = now()
      }
    },
    end(ok = true) {
      finishStep(ok)
      spinner.stop()
    },
    clear() {
      step = undefined
      spinner.stop()
    },
  }
}

/**
 * CI and pipes: a line when a step starts, and when it took a second or more one when it ends;
 * never a line per item.
 */
export function lineProgress(write: (line: string) => void, now: () => number = Date.now, endLineAfterMs = 1000): Progress {
  let step: string | undefined
  let started = 0
  let last: {done?: number; total?: number} = {}
  const finishStep = (ok = true) => {
    if (step === undefined) return
    const took = now() - started
    const count = last.done === undefined ? '' : `, ${counted('', last.done, last.total).trim()}`
    if (!ok || took >= endLineAfterMs) write(`${step}: ${ok ? 'done' : 'failed'} in ${seconds(took)}${count}`)
    step = undefined
  }
  return {
    onProgress(next, done, total) {
      if (next !== step) {
        finishStep()
        step = next
        started = now()
        write(`${next}…`)
      }
      last = {done, total}
    },
    end: finishStep,
    clear() {
      step = undefined
    },
  }
}

export const noProgress: Progress = {onProgress: () => undefined, end: () => undefined, clear: () => undefined}
