import {describe, expect, it} from 'vitest'

import {lineProgress, spinnerProgress, type SpinnerLike} from '../../../src/cli/progress.js'
import {decideUi, Ui} from '../../../src/cli/ui.js'
import {sink} from '../../helpers/sink.js'

function clock() {
  let t = 0
  return {now: () => t, advance: (ms: number) => void (t += ms)}
}

/** Records what a spinner was asked to show, as ora would draw it. */
function fakeSpinner() {
  const calls: string[] = []
  const spinner: SpinnerLike = {
    text: '',
    start: () => calls.push(`start ${spinner.text}`),
    render: () => calls.push(`render ${spinner.text}`),
    succeed: (t) => calls.push(`succeed ${t}`),
    fail: (t) => calls.push(`fail ${t}`),
    stop: () => calls.push('stop'),
  }
  return {spinner, calls}
}

describe('progress for a person at a terminal', () => {
  it('follows each step and its count, leaving a line per finished step', () => {
    const c = clock()
    const {spinner, calls} = fakeSpinner()
    const p = spinnerProgress(spinner, c.now, 80)
    p.onProgress('loading the course')
    c.advance(1200)
    p.onProgress('checking baskets', 0, 3000)
    c.advance(100)
    p.onProgress('checking baskets', 1000, 3000)
    p.onProgress('checking baskets', 2000, 3000) // within 80 ms of the last render: not drawn
    c.advance(2000)
    p.end()
    expect(calls).toEqual(['start loading the course', 'succeed loading the course (1.2 s)', 'start checking baskets 0/3000', 'render checking baskets 1000/3000', 'succeed checking baskets (2.1 s)', 'stop'])
  })

  it('marks the step that was running when the work failed', () => {
    const {spinner, calls} = fakeSpinner()
    const p = spinnerProgress(spinner, () => 0)
    p.onProgress('reading staging', 3, 10)
    p.end(false)
    expect(calls.at(-2)).toBe('fail reading staging (0.0 s)')
  })
})

describe('progress in CI and pipes', () => {
  it('prints a line when a step starts, an end line only for a step of a second or more, never one per item', () => {
    const c = clock()
    const lines: string[] = []
    const p = lineProgress((l) => lines.push(l), c.now)
    p.onProgress('loading the course')
    c.advance(300)
    p.onProgress('checking baskets', 0, 76450)
    for (let done = 500; done <= 76450; done += 500) p.onProgress('checking baskets', done, 76450)
    p.onProgress('checking baskets', 76450, 76450)
    c.advance(8200)
    p.end()
    expect(lines).toEqual(['loading the course…', 'checking baskets…', 'checking baskets: done in 8.2 s, 76450/76450'])
  })

  it('says which step failed', () => {
    const lines: string[] = []
    const p = lineProgress((l) => lines.push(l), () => 0)
    p.onProgress('planning')
    p.end(false)
    expect(lines).toEqual(['planning…', 'planning: failed in 0.0 s'])
  })
})

describe('Ui.withProgress', () => {

  it('shows nothing at all with --json or --quiet, and lines on stderr otherwise', async () => {
    for (const [mode, expected] of [[{json: true, quiet: false}, ''], [{json: false, quiet: true}, ''], [{json: false, quiet: false}, 'loading the course…\n']] as const) {
      const out = sink()
      const err = sink()
      const ui = new Ui(decideUi({...mode, color: false, env: {CI: 'true'}, stdoutIsTTY: false, stderrIsTTY: false}), out.stream, err.stream)
      expect(await ui.withProgress(async (onProgress) => (onProgress('loading the course'), 42))).toBe(42)
      expect(out.text()).toBe('')
      expect(err.text()).toBe(expected)
    }
  })
})
