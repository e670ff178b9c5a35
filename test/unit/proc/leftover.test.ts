import {spawn, type ChildProcess} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {stopLeftover, type ProcIdentity} from '../../../src/core/proc/spawn.js'
import {tempDir} from '../../helpers/fs.js'
import {alive, pidsIn, until, withMarker} from '../../helpers/procs.js'

/**
 * The next launch stops what a killed one left running, from the ledger's identity, and never an
 * unrelated process that has since been given the same pid. Each process here is real: an "unrelated"
 * one is a sleep started without the marker, or with another attempt's.
 */
const dir = tempDir('wicker-leftover-')
const children: ChildProcess[] = []
const ids: string[] = []

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const id of ids.splice(0)) for (const pid of withMarker(id)) process.kill(pid, 'SIGKILL')
})

function start(script: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn('sh', ['-c', script], {env: {...process.env, ...env}, detached: true, stdio: 'ignore'})
  children.push(child)
  return child
}

const isSleep = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep'
  } catch {
    return false
  }
}

function identityOf(pid: number, attemptId: string): ProcIdentity {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!
  return {pid, startTime, bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), attemptId}
}

describe('stopLeftover', () => {
  it('stops a proved leftover with its whole tree, an escaped daemon included', async () => {
    const id = `test-${randomUUID()}`
    ids.push(id)
    const pids = join(dir, `${id}.pids`)
    const agent = start(`echo $$ >> "$PIDS"; setsid sh -c 'echo $$ >> "$PIDS"; exec sleep 300' & sleep 300 & echo $! >> "$PIDS"; wait`, {WICKER_ATTEMPT_ID: id, PIDS: pids})
    await until(() => pidsIn(pids).length === 3)
    expect(await stopLeftover(identityOf(agent.pid!, id), 300)).toBe('stopped')
    expect(pidsIn(pids).filter(alive)).toEqual([])
    expect(withMarker(id)).toEqual([])
  })

  it('never signals a live process holding the pid without the marker: it survives', async () => {
    const stranger = start('sleep 30')
    await until(() => alive(stranger.pid!))
    const identity = identityOf(stranger.pid!, `test-${randomUUID()}`)
    expect(await stopLeftover(identity, 300)).toBe('not-ours')
    await new Promise((r) => setTimeout(r, 100))
    expect(alive(stranger.pid!)).toBe(true)
  })

  it('never signals a process with the pid and another start time (the pid was reused): it survives', async () => {
    const stranger = start('sleep 30', {WICKER_ATTEMPT_ID: 'someone-else'})
    await until(() => alive(stranger.pid!))
    const real = identityOf(stranger.pid!, `test-${randomUUID()}`)
    const identity = {...real, startTime: String(Number(real.startTime) - 1000)}
    expect(await stopLeftover(identity, 300)).toBe('not-ours')
    await new Promise((r) => setTimeout(r, 100))
    expect(alive(stranger.pid!)).toBe(true)
  })

  it("with the wrong start time, the pid's process group is not signalled: a member without the marker survives", async () => {
    const id = `test-${randomUUID()}`
    ids.push(id)
    const pids = join(dir, `${id}.pids`)
    // the leader carries the marker (it is stopped as a marked process), its group-mate was started without it
    const leader = start(`env -u WICKER_ATTEMPT_ID sleep 30 & echo $! >> "$PIDS"; wait`, {WICKER_ATTEMPT_ID: id, PIDS: pids})
    await until(() => pidsIn(pids).length === 1)
    const [mate] = pidsIn(pids)
    await until(() => isSleep(mate!)) // exec'd: no longer the forked shell that still had the marker
    const real = identityOf(leader.pid!, id)
    await stopLeftover({...real, startTime: String(Number(real.startTime) - 1000)}, 300)
    expect(alive(mate!)).toBe(true)
    // proved, the same call stops the whole group
    const again = start(`env -u WICKER_ATTEMPT_ID sleep 30 & echo $! >> "$PIDS"; wait`, {WICKER_ATTEMPT_ID: id, PIDS: pids})
    await until(() => pidsIn(pids).length === 2)
    const second = pidsIn(pids)[1]!
    await until(() => isSleep(second))
    expect(await stopLeftover(identityOf(again.pid!, id), 300)).toBe('stopped')
    expect(alive(second)).toBe(false)
    process.kill(mate!, 'SIGKILL')
  })

  it('even with the right marker, the wrong boot proves nothing: it survives', async () => {
    const id = `test-${randomUUID()}`
    const holder = start('sleep 30', {WICKER_ATTEMPT_ID: id})
    await until(() => alive(holder.pid!))
    const identity = {...identityOf(holder.pid!, id), bootId: '00000000-0000-0000-0000-000000000000'}
    expect(await stopLeftover(identity, 300)).toBe('not-ours')
    expect(alive(holder.pid!)).toBe(true)
  })

  it('the agent gone, still stops the descendants that carry its marker', async () => {
    const id = `test-${randomUUID()}`
    ids.push(id)
    const pids = join(dir, `${id}.pids`)
    const agent = start(`setsid sh -c 'echo $$ >> "$PIDS"; exec sleep 300' & sleep 0.2`, {WICKER_ATTEMPT_ID: id, PIDS: pids})
    const identity = await new Promise<ProcIdentity>((resolve) => setTimeout(() => resolve(identityOf(agent.pid!, id)), 50))
    await new Promise((r) => agent.on('exit', r))
    await until(() => pidsIn(pids).length === 1)
    expect(await stopLeftover(identity, 300)).toBe('stopped')
    expect(withMarker(id)).toEqual([])
  })

  it('a pid no process holds is gone', async () => {
    const done = start('true')
    await new Promise((r) => done.on('exit', r))
    expect(await stopLeftover({pid: done.pid!, startTime: '1', bootId: null, attemptId: `test-${randomUUID()}`}, 300)).toBe('gone')
  })
})
