/**
 * How long work tells its caller how far it got; the core never prints, the command decides what
 * a person sees (a spinner on a terminal, plain lines in CI, nothing with --json or --quiet).
 *
 * A call with a new `step` ends the previous step and starts that one; `done`/`total` count items
 * within the step. Calls may come often: the receiver throttles.
 */
export type OnProgress = (step: string, done?: number, total?: number) => void

/** Calls `onProgress` every `every` items and at the last one, so a loop reports without flooding. */
export function progressEvery(onProgress: OnProgress | undefined, step: string, total: number, every = 1000): (done: number) => void {
  if (!onProgress) return () => undefined
  onProgress(step, 0, total)
  return (done) => {
    if (done % every === 0 || done === total) onProgress(step, done, total)
  }
}
