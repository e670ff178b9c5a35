import {describe, expect, it} from 'vitest'

import {stepDelayFrom} from '../../../src/core/transaction/step-delay.js'

describe('the test-only step delay (WICKER_TEST_STEP_DELAY_MS)', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    ['0', 0],
    ['80', 80],
    ['2000', 2000],
    // capped: a stray value can slow a merge to 2 s a step, never hang it
    ['2001', 2000],
    ['999999', 2000],
    ['99999999999', 0],
    // not plain digits: no pause at all
    ['1e9', 0],
    ['-5', 0],
    ['0x10', 0],
    [' 80', 0],
    ['80ms', 0],
    ['Infinity', 0],
    ['NaN', 0],
  ])('%j gives %i ms', (raw, ms) => {
    expect(stepDelayFrom(raw)).toBe(ms)
  })
})
