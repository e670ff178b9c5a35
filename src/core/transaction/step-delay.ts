/**
 * TEST-ONLY: a pause between the steps of a canon transaction, so a test that SIGKILLs a real
 * `wicker merge` can land its kills inside the transaction (begin → backup → temp → rename →
 * commit → state → each staging move → done) instead of almost always before or after it: a
 * transaction on a small course takes a few milliseconds against the second Node takes to start.
 * Used by test/e2e/merge-processes.test.ts; not a user setting and not documented as one.
 *
 * WICKER_TEST_STEP_DELAY_MS is read once, when this module loads. It can slow a transaction down,
 * never change what it does or in what order (every pause is an await between two steps that
 * already await), and only within bounds: see stepDelayFrom.
 */
const MAX_MS = 2000

/** Plain digits only, capped at 2000 ms a step; anything else ("", "1e9", "-5", "0x10", "abc") is no pause. */
export function stepDelayFrom(raw: string | undefined): number {
  return raw !== undefined && /^\d{1,6}$/.test(raw) ? Math.min(Number(raw), MAX_MS) : 0
}

const delayMs = stepDelayFrom(process.env.WICKER_TEST_STEP_DELAY_MS)
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, delayMs))
const none = (): Promise<void> => Promise.resolve()

/** Waits the test delay between two journal steps; with the knob unset, an already resolved promise. */
export const betweenSteps: () => Promise<void> = delayMs > 0 ? pause : none
