import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {nearest, withFlagSuggestion} from '../../../src/cli/did-you-mean.js'
import {reportBugHint} from '../../../src/core/bug-report.js'

const COMMANDS = ['detect', 'prepare-segments', 'launch', 'extract', 'preview', 'merge', 'validate', 'status', 'init', 'restore', 'recover', 'unlock', 'demo']

describe('did you mean', () => {
  it('finds the command a typo meant, and nothing for a word that is not near any', () => {
    expect(nearest('valdate', COMMANDS)).toBe('validate')
    expect(nearest('merg', COMMANDS)).toBe('merge')
    expect(nearest('prepare-segment', COMMANDS)).toBe('prepare-segments')
    expect(nearest('foo', COMMANDS)).toBeUndefined()
    expect(nearest('xyzzy', COMMANDS)).toBeUndefined()
  })

  it('adds the flag meant to oclif\'s "Nonexistent flag" message, before its "See more help" line', () => {
    const error = Object.assign(new Error('Nonexistent flag: --strcit\nSee more help with --help'), {flags: ['--strcit']})
    withFlagSuggestion(error, {strict: {}, json: {}, gate: {}})
    expect(error.message).toBe('Nonexistent flag: --strcit (did you mean --strict?)\nSee more help with --help')
    const two = Object.assign(new Error('Nonexistent flags: --jsn, --zzzzzz'), {flags: ['--jsn', '--zzzzzz']})
    withFlagSuggestion(two, {json: {}})
    expect(two.message).toBe('Nonexistent flags: --jsn, --zzzzzz (--jsn: did you mean --json?)')
  })
})

describe('please report', () => {
  it('points at package.json\'s bugs.url', () => {
    const {bugs} = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))
    expect(reportBugHint('the plan file')).toBe(`This is a bug in wicker; please report it at ${bugs.url} with the plan file.`)
  })
})
