import {describe, expect, it} from 'vitest'

import {parseStat, processStat} from '../../../src/core/proc/identity.js'

describe('reading /proc/<pid>/stat', () => {
  it('counts fields after the last parenthesis, whatever the command name holds', () => {
    // a program may call itself anything: spaces, parentheses, a fake state letter
    const line = '4242 (a) Z 1 (b) S 1 77 77 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 987654 0 0) S 1 4241 4240 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 1234567 2654208 395'
    expect(parseStat(line)).toEqual({state: 'S', pgrp: 4241, startTime: 1234567})
  })

  it('is null for a line that is not a stat line', () => {
    expect(parseStat('no parenthesis here')).toBe(null)
    expect(parseStat('1 (x) S 1')).toBe(null)
  })

  it('reads this process: running, in a group, started', () => {
    const stat = processStat(process.pid)
    expect(stat?.state).toMatch(/^[RS]$/)
    expect(stat!.startTime).toBeGreaterThan(0)
    expect(processStat(-1)).toBe(null)
  })
})
