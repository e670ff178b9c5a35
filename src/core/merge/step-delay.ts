/**
 * TEST-ONLY: a pause between the steps of a canon transaction, so a test that SIGKILLs a real
 * `wicker merge` can land its kills inside the transaction (begin → backup → temp → rename →
 * commit → state → each staging move → done) instead of almost always before or after it: a
 * transaction on a small course takes a few milliseconds against the hundreds of Node's start.
 * Used by test/e2e/merge-processes.test.ts; not a user setting and not documented as one.
 *
 * WICKER_TEST_STEP_DELAY_MS is read once, when this module loads. Only plain digits count, capped
 * at 2000 ms per step; anything else (unset, empty, "1e9", "-5", "abc") is no pause at all, so it
 * can slow a transaction down but never change what it does or the order it does it in.
 */
const MAX_MS = 2000
const raw = process.env.WICKER_TEST_STEP_DELAY_MS ?? ''
const delayMs = /^\d{1,5}$/.test(raw) ? Math.min(Number(raw), MAX_MS) : 0

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, delayMs))
const none = (): Promise<void> => Promise.resolve()

/** Waits the test delay between two journal steps; resolves at once when the knob is unset. */
export const betweenSteps: () => Promise<void> = delayMs > 0 ? pause : none
