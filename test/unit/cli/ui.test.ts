import {describe, expect, it} from 'vitest'

import {decideUi, Ui, type UiInputs} from '../../../src/cli/ui.js'
import {sink} from '../../helpers/sink.js'

const base: UiInputs = {json: false, quiet: false, color: undefined, env: {}, stdoutIsTTY: true, stderrIsTTY: true}


describe('ui policy', () => {
  it('animates and colours only for a person at a terminal', () => {
    expect(decideUi(base)).toMatchObject({interactive: true, progress: 'tasks', colorLevel: 1})
    expect(decideUi({...base, env: {CI: 'true'}})).toMatchObject({interactive: false, progress: 'lines'})
    expect(decideUi({...base, stderrIsTTY: false})).toMatchObject({interactive: false, progress: 'lines'})
    expect(decideUi({...base, stdoutIsTTY: false}).colorLevel).toBe(0)
    expect(decideUi({...base, env: {TERM: 'dumb'}})).toMatchObject({interactive: false, colorLevel: 0})
  })

  it('honours NO_COLOR and --no-color, which chalk alone would not', () => {
    expect(decideUi({...base, env: {NO_COLOR: '1'}}).colorLevel).toBe(0)
    expect(decideUi({...base, env: {NO_COLOR: '1', FORCE_COLOR: '3'}}).colorLevel).toBe(0)
    expect(decideUi({...base, color: false}).colorLevel).toBe(0)
    expect(decideUi({...base, stdoutIsTTY: false, env: {FORCE_COLOR: '2'}}).colorLevel).toBe(2)
  })

  it('decides colour by --no-color > --color > NO_COLOR > FORCE_COLOR > terminal', () => {
    const piped = {...base, stdoutIsTTY: false, stderrIsTTY: false}
    // --color forces colour through a pipe, like FORCE_COLOR, and beats NO_COLOR
    expect(decideUi({...piped, color: true}).colorLevel).toBe(1)
    expect(decideUi({...piped, color: true, env: {NO_COLOR: '1'}}).colorLevel).toBe(1)
    expect(decideUi({...piped, color: true, env: {FORCE_COLOR: '0'}}).colorLevel).toBe(1)
    expect(decideUi({...piped, color: true, env: {FORCE_COLOR: '3'}}).colorLevel).toBe(3)
    // --no-color beats everything
    expect(decideUi({...base, color: false, env: {FORCE_COLOR: '3'}}).colorLevel).toBe(0)
    // NO_COLOR beats FORCE_COLOR; FORCE_COLOR beats the terminal check both ways
    expect(decideUi({...piped, env: {NO_COLOR: '1', FORCE_COLOR: '1'}}).colorLevel).toBe(0)
    expect(decideUi({...piped, env: {FORCE_COLOR: '1'}}).colorLevel).toBe(1)
    expect(decideUi({...base, env: {FORCE_COLOR: '0'}}).colorLevel).toBe(0)
    // an empty NO_COLOR is not set (no-color.org)
    expect(decideUi({...base, env: {NO_COLOR: ''}}).colorLevel).toBe(1)
    // nothing given: a terminal colours, a pipe does not
    expect(decideUi(piped).colorLevel).toBe(0)
    expect(decideUi({...base, env: {COLORTERM: 'truecolor'}}).colorLevel).toBe(3)
    // --json stays plain JSON even with --color
    expect(decideUi({...piped, json: true, color: true}).colorLevel).toBe(0)
  })

  it('keeps --json free of colour and animation', () => {
    expect(decideUi({...base, json: true})).toMatchObject({colorLevel: 0, interactive: false, progress: 'ndjson'})
    expect(decideUi({...base, quiet: true})).toMatchObject({interactive: false, progress: 'none'})
  })

  it('prints no spinner output anywhere when not interactive', async () => {
    const out = sink()
    const err = sink()
    const ui = new Ui(decideUi({...base, stderrIsTTY: false, quiet: true}), out.stream, err.stream)
    const spinner = await ui.spinner('working')
    spinner.succeed('done')
    expect(out.text()).toBe('')
    expect(err.text()).toBe('')
  })

  it('sends listr2 output to stderr, never stdout', async () => {
    const out = sink()
    const err = sink()
    const ui = new Ui(decideUi({...base, stderrIsTTY: false}), out.stream, err.stream)
    const {Listr} = await import('listr2')
    await new Listr([{title: 'a task', task: async () => undefined}], (await ui.listrOptions()) as never).run()
    expect(out.text()).toBe('')
    expect(err.text()).toContain('a task')
  })

  it('writes warnings and errors to stderr and results to stdout', () => {
    const out = sink()
    const err = sink()
    const ui = new Ui(decideUi({...base, color: false}), out.stream, err.stream)
    ui.out('result')
    ui.warn('careful')
    ui.error('broken', 'fix it')
    expect(out.text()).toBe('result\n')
    expect(err.text()).toBe('warning careful\nerror broken\nhint  fix it\n')
  })
})
