import {randomUUID} from 'node:crypto'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {spawnAgent, type SpawnRequest, type SpawnResult} from '../../../src/core/proc/spawn.js'
import {tempDir} from '../../helpers/fs.js'
import {alive, groupOf, pidsIn, until, withMarker} from '../../helpers/procs.js'

/**
 * Agents made to misbehave, as real processes: each is a sh script that records the pids it starts in
 * `pids`, so a test checks by pid AND by a scan for the attempt's marker that nothing survived.
 */
const dir = tempDir('wicker-proc-')
const GRACE = 300
const started: string[] = []

function agent(script: string, extra: Partial<SpawnRequest> = {}): {run: Promise<SpawnResult>; id: string; pids: string} {
  const id = `test-${randomUUID()}`
  started.push(id)
  const pids = join(dir, `${id}.pids`)
  const run = spawnAgent({
    command: 'sh',
    args: ['-c', script],
    env: {...process.env, PIDS: pids},
    cwd: dir,
    stdin: 'the prompt',
    timeoutMs: 60_000,
    idleTimeoutMs: 60_000,
    graceMs: GRACE,
    attemptId: id,
    ...extra,
  })
  return {run, id, pids}
}

afterEach(() => {
  // a failed test must not leave its sleeps behind for the next
  for (const id of started.splice(0)) for (const pid of withMarker(id)) process.kill(pid, 'SIGKILL')
})

const treeGone = (id: string, pids: string) => {
  expect(pidsIn(pids).filter(alive)).toEqual([])
  expect(withMarker(id)).toEqual([])
}

describe('stopping an agent on abort', () => {
  it('stops an agent that hangs (two sleeps and a wait) within the grace, whole tree', async () => {
    const abort = new AbortController()
    const {run, id, pids} = agent('echo $$ >> "$PIDS"; sleep 300 & echo $! >> "$PIDS"; sleep 300 & echo $! >> "$PIDS"; wait', {signal: abort.signal})
    await until(() => pidsIn(pids).length === 3)
    const at = Date.now()
    abort.abort()
    const result = await run
    expect(Date.now() - at).toBeLessThan(GRACE + 700)
    expect(result.stopped).toBe(true)
    treeGone(id, pids)
  }, 10_000)

  it('KILLs an agent that ignores TERM once the grace is over, not before', async () => {
    const abort = new AbortController()
    // an ignored signal stays ignored across fork and exec: the sleeps ignore TERM too
    const {run, id, pids} = agent(`trap '' TERM; echo $$ >> "$PIDS"; sleep 300 & echo $! >> "$PIDS"; wait; wait; wait`, {signal: abort.signal})
    await until(() => pidsIn(pids).length === 2)
    const at = Date.now()
    abort.abort()
    const result = await run
    const took = Date.now() - at
    expect(took).toBeGreaterThanOrEqual(GRACE - 20)
    expect(took).toBeLessThan(GRACE + 700)
    expect(result.stopped).toBe(true)
    expect(result.signal).toBe('SIGKILL')
    treeGone(id, pids)
  }, 10_000)

  it('KILLs at once on the kill signal (a second Ctrl-C), grace or not', async () => {
    const abort = new AbortController()
    const kill = new AbortController()
    const {run, id, pids} = agent(`trap '' TERM; echo $$ >> "$PIDS"; sleep 300 & echo $! >> "$PIDS"; wait; wait`, {signal: abort.signal, killSignal: kill.signal, graceMs: 30_000})
    await until(() => pidsIn(pids).length === 2)
    abort.abort()
    await new Promise((r) => setTimeout(r, 100))
    const at = Date.now()
    kill.abort()
    const result = await run
    expect(Date.now() - at).toBeLessThan(500)
    expect(result.signal).toBe('SIGKILL')
    treeGone(id, pids)
  }, 10_000)

  it('finds and stops a daemon that left the group by setsid and a double fork', async () => {
    const abort = new AbortController()
    const {run, id, pids} = agent(
      `echo $$ >> "$PIDS"
       setsid sh -c 'echo $$ >> "$PIDS"; exec sleep 300' </dev/null >/dev/null 2>&1 &
       ( ( sleep 300 </dev/null >/dev/null 2>&1 & echo $! >> "$PIDS" ) & )
       nohup sleep 300 </dev/null >/dev/null 2>&1 & echo $! >> "$PIDS"
       sleep 300`,
      {signal: abort.signal},
    )
    await until(() => pidsIn(pids).length === 4)
    const [main, ...helpers] = pidsIn(pids)
    // the setsid one really escaped the agent's process group: a group kill alone would miss it
    expect(helpers.some((p) => groupOf(p) !== main)).toBe(true)
    abort.abort()
    await run
    treeGone(id, pids)
  }, 10_000)

  it('stops an agent that keeps forking escapees (setsid in a loop) while it is being stopped', async () => {
    const abort = new AbortController()
    const {run, id, pids} = agent(`trap '' TERM; echo $$ >> "$PIDS"; while :; do setsid sleep 300 </dev/null >/dev/null 2>&1 & sleep 0.01; done`, {signal: abort.signal})
    await until(() => withMarker(id).length >= 5)
    abort.abort()
    await run
    treeGone(id, pids)
  }, 10_000)
})

describe('an agent that exits but leaves processes behind', () => {
  it('does not hang when a child holds stdout open after the agent exited', async () => {
    const at = Date.now()
    const {run, id, pids} = agent('sleep 300 & echo $! >> "$PIDS"; echo finished')
    const result = await run
    expect(Date.now() - at).toBeLessThan(2000)
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe('finished\n')
    expect(result.leftovers).toBe(1)
    expect(result.stopped).toBe(false)
    treeGone(id, pids)
  }, 10_000)

  it('does not hang on a helper that escaped every tracking (emptied environment, new session) and holds stdout', async () => {
    const {run, pids} = agent(`env -i PIDS="$PIDS" setsid sh -c 'echo $$ >> "$PIDS"; exec sleep 300' & sleep 0.2; echo finished`)
    const at = Date.now()
    try {
      const result = await run
      // untrackable, so it lives on (README: it escapes), but the attempt ends: its pipes are let go
      expect(Date.now() - at).toBeLessThan(3000)
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toBe('finished\n')
    } finally {
      for (const pid of pidsIn(pids)) process.kill(pid, 'SIGKILL')
    }
  }, 10_000)

  it('stops a daemon that escaped by setsid with its pipes closed, and counts it', async () => {
    const {run, id, pids} = agent(`setsid sh -c 'echo $$ >> "$PIDS"; exec sleep 300' </dev/null >/dev/null 2>&1 & sleep 0.2; echo ok`)
    const result = await run
    expect(result.exitCode).toBe(0)
    expect(pidsIn(pids)).toHaveLength(1)
    expect(result.leftovers).toBe(1)
    treeGone(id, pids)
  }, 10_000)
})

describe('output', () => {
  it('stops an endless stream at the cap: overflow, bounded output, no crash', async () => {
    const at = Date.now()
    // three bytes a character: a cap counted in characters would let three times as much through
    const {run, id, pids} = agent('echo $$ >> "$PIDS"; yes €€€€€€€€', {maxOutputBytes: 1024 * 1024})
    const result = await run
    expect(result.overflow).toBe('stdout')
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(1024 * 1024)
    expect(result.stdout.startsWith('€€€€€€€€\n€')).toBe(true)
    expect(result.stdout).not.toContain('\ufffd')
    expect(Date.now() - at).toBeLessThan(GRACE + 3000)
    treeGone(id, pids)
  }, 10_000)

  it('decodes a multi-byte character split across two writes whole', async () => {
    // the bytes of "€" (e2 82 ac): two, a pause so they arrive as separate chunks, then the last
    const {run} = agent(String.raw`printf '\342\202'; sleep 0.1; printf '\254'; printf '\342' >&2; sleep 0.1; printf '\202\254' >&2`)
    const result = await run
    expect(result.stdout).toBe('€')
    expect(result.stderr).toBe('€')
  }, 10_000)

  it('gives the agent its prompt on stdin, then closes it', async () => {
    const {run} = agent('cat')
    expect((await run).stdout).toBe('the prompt')
  }, 10_000)
})

describe('timeouts and spawn failures', () => {
  it('stops an agent silent for longer than the idle timeout', async () => {
    const {run, id, pids} = agent('echo $$ >> "$PIDS"; echo hi; sleep 300', {idleTimeoutMs: 300})
    const result = await run
    expect(result.timedOut).toBe('idle')
    expect(result.durationMs).toBeLessThan(300 + GRACE + 1000)
    treeGone(id, pids)
  }, 10_000)

  it('a timeout past what a Node timer holds (600 h) does not fire at once', async () => {
    const {run} = agent('sleep 0.3; echo done', {timeoutMs: 600 * 3600_000, idleTimeoutMs: 600 * 3600_000})
    const result = await run
    expect(result.timedOut).toBe(null)
    expect(result.stdout).toBe('done\n')
  }, 10_000)

  it('reports a command that does not exist as a spawn error', async () => {
    const result = await spawnAgent({command: join(dir, 'no-such-agent'), args: [], env: process.env, cwd: dir, stdin: '', timeoutMs: 5000, idleTimeoutMs: 5000, graceMs: GRACE, attemptId: `test-${randomUUID()}`})
    expect(result.pid).toBe(null)
    expect(result.error).toMatch(/ENOENT/)
  })
})
