import {join} from 'node:path'

import {execa} from 'execa'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../../helpers/fs.js'
import {alive, pidsIn, until} from '../../helpers/procs.js'

/**
 * What execa does not do, shown: why src/core/proc has tree tracking and a watchdog of its own. Should
 * execa ever do these, these tests fail and the code they justify can go.
 */
const dir = tempDir('wicker-execa-')

describe('execa alone', () => {
  it('cancelSignal + forceKillAfterDelay stop the agent, not the children it started', async () => {
    const pids = join(dir, 'cancel.pids')
    const abort = new AbortController()
    const run = execa('sh', ['-c', `sleep 300 </dev/null >/dev/null 2>&1 & echo $! >> "${pids}"; exec sleep 300`], {detached: true, cancelSignal: abort.signal, forceKillAfterDelay: 200, reject: false})
    await until(() => pidsIn(pids).length === 1)
    abort.abort()
    const result = await run
    expect(result.isCanceled).toBe(true)
    const [child] = pidsIn(pids)
    const leftRunning = alive(child!)
    process.kill(child!, 'SIGKILL')
    expect(leftRunning).toBe(true) // spawnAgent stops it by group and marker
  })

  it('does not resolve while a child the agent left holds its stdout', async () => {
    const pids = join(dir, 'hold.pids')
    const run = execa('sh', ['-c', `sleep 300 & echo $! >> "${pids}"; echo done`], {detached: true, reject: false})
    const first = await Promise.race([run.then(() => 'resolved'), new Promise((r) => setTimeout(() => r('still waiting'), 500))])
    expect(first).toBe('still waiting') // spawnAgent lingers 200 ms after the exit, then stops the rest of the tree
    for (const pid of pidsIn(pids)) process.kill(pid, 'SIGKILL')
    expect((await run).stdout).toBe('done')
  })
})
