import {spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'

import {describe, expect, it} from 'vitest'

import {processStartTime} from '../../../src/core/proc/identity.js'
import {stopTree, treePids} from '../../../src/core/proc/tree.js'
import {alive, groupOf} from '../../helpers/procs.js'

describe('an attempt tree whose group id was given to someone else', () => {
  it('does not take in, or signal, the new group that now has the agent\'s old pid as its id', async () => {
    // a stranger leading its own group, with a member: as if the agent's pid came round again
    const stranger = spawn('sh', ['-c', 'sleep 300 & wait'], {detached: true, stdio: 'ignore'})
    try {
      const pid = stranger.pid!
      await new Promise((r) => setTimeout(r, 200))
      expect(groupOf(pid)).toBe(pid)
      const since = processStartTime(pid)! - 1 // the agent that once had this pid started earlier
      const key = {pgid: pid, attemptId: `gone-${randomUUID()}`, since}
      expect(treePids(key)).toEqual([])
      await stopTree(key, 100)
      expect(alive(pid)).toBe(true)
    } finally {
      process.kill(-stranger.pid!, 'SIGKILL')
    }
  })

  it('does take in the group while its leader is the agent itself (same start time)', () => {
    const agent = spawn('sh', ['-c', 'sleep 300 & wait'], {detached: true, stdio: 'ignore'})
    try {
      const key = {pgid: agent.pid!, attemptId: `a-${randomUUID()}`, since: processStartTime(agent.pid!)}
      expect(treePids(key)).toContain(agent.pid)
    } finally {
      process.kill(-agent.pid!, 'SIGKILL')
    }
  })
})
