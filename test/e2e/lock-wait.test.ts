import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {BIN} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {canonBytes, flowCourse} from '../helpers/flow.js'
import {holdLock} from '../helpers/lock.js'
import {DIST} from '../helpers/race.js'

const holders: Array<{kill(signal?: NodeJS.Signals): boolean}> = []
afterEach(() => {
  for (const h of holders.splice(0)) h.kill('SIGKILL')
})

async function holder(dir: string, options: {releaseOnSignal?: boolean} = {}) {
  const h = await holdLock(dir, DIST, options)
  holders.push(h)
  return h
}

/** Runs wicker without blocking the test's event loop (the holder's timer must fire meanwhile). */
function runAsync(args: string[]): Promise<{code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number}> & {child: ReturnType<typeof spawn>} {
  const started = Date.now()
  const child = spawn(process.execPath, [BIN, ...args], {env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => (stdout += d))
  child.stderr!.on('data', (d) => (stderr += d))
  const done = new Promise((resolve) => child.once('exit', (code, signal) => resolve({code, signal, stdout, stderr, ms: Date.now() - started}))) as any
  done.child = child
  return done
}

const lockId = (dir: string) => JSON.parse(readFileSync(join(dir, '.wicker', 'lock'), 'utf8')).lockId as string
const ours = (dir: string) => readdirSync(join(dir, '.wicker')).filter((n) => n.startsWith('lock')).sort()

describe('merge --lock-timeout', () => {
  it('without it, a held lock is exit 3 at once', async () => {
    const f = flowCourse({seeds: 6})
    await holder(f.dir)
    const run = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(run.code).toBe(3)
    expect(run.json.name).toBe('E_LOCK_HELD')
    expect(run.json.message).not.toMatch(/waited/)
  })

  it('waits for a live holder that lets go about a second after merge started waiting, then merges', async () => {
    const f = flowCourse({seeds: 6})
    const h = await holder(f.dir, {releaseOnSignal: true})
    const run = runAsync(['merge', f.dir, '--yes', '--lock-timeout', '30s'])
    let stderr = ''
    run.child.stderr!.on('data', (d) => (stderr += d))
    let exited = false
    run.child.once('exit', () => (exited = true))
    while (!exited && !/waiting up to .* for the lock/.test(stderr)) await new Promise((r) => setTimeout(r, 50))
    expect(stderr).toMatch(/waiting up to .* for the lock/)
    expect(stderr).toContain(`pid ${h.pid}`)
    await new Promise((r) => setTimeout(r, 1000))
    const releasedAt = Date.now()
    h.kill('SIGUSR1')
    const done = await run
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toMatch(/Merged merge-/)
    // it took the lock soon after the release, not at the end of the 30 s
    expect(Date.now() - releasedAt).toBeLessThan(10_000)
  })

  it('gives up after the timeout with exit 3, saying how long it waited, and leaves the holder\'s lock alone', async () => {
    const f = flowCourse({seeds: 6})
    await holder(f.dir)
    const before = ours(f.dir)
    const canon = canonBytes(f.dir)
    const run = await runAsync(['merge', f.dir, '--yes', '--lock-timeout', '1500ms', '--json'])
    expect(run.code).toBe(3)
    const error = JSON.parse(run.stdout)
    expect(error.name).toBe('E_LOCK_HELD')
    expect(error.message).toMatch(/waited 1\.[5-9] s for it/)
    expect(error.details.waitedMs).toBeGreaterThanOrEqual(1500)
    expect(error.hint).toContain('--lock-timeout')
    expect(run.ms).toBeGreaterThanOrEqual(1500)
    expect(ours(f.dir)).toEqual(before)
    expect(canonBytes(f.dir)).toEqual(canon)
  })

  it('Ctrl-C stops the wait at once and leaves nothing of its own behind', async () => {
    const f = flowCourse({seeds: 6})
    await holder(f.dir)
    const before = ours(f.dir)
    const run = runAsync(['merge', f.dir, '--yes', '--lock-timeout', '1h'])
    await new Promise((r) => setTimeout(r, 1500))
    const stoppedAt = Date.now()
    run.child.kill('SIGINT')
    const done = await run
    expect(done.code === 130 || done.signal === 'SIGINT').toBe(true)
    expect(Date.now() - stoppedAt).toBeLessThan(2000)
    expect(ours(f.dir)).toEqual(before)
  })

  it('a bad duration is a usage error', async () => {
    const f = flowCourse({seeds: 4})
    const run = await wickerIn(['merge', f.dir, '--yes', '--lock-timeout', 'soon', '--json'])
    expect(run.code).toBe(2)
    expect(run.json.name).toBe('E_DURATION')
  })
})

describe('unlock --lock-id ID [--force]', () => {
  it('refuses a live holder without --force (exit 3, E_LOCK_LIVE), removes it with --force and a warning naming the pid', async () => {
    const f = flowCourse({seeds: 4})
    const h = await holder(f.dir)
    const id = lockId(f.dir)
    const refused = await wickerIn(['unlock', f.dir, '--lock-id', id, '--json'])
    expect(refused.code).toBe(3)
    expect(refused.json.name).toBe('E_LOCK_LIVE')
    expect(refused.json.message).toContain(`pid ${h.pid}`)
    expect(refused.json.hint).toContain('--force')
    expect(lockId(f.dir)).toBe(id)
    const forced = await wickerIn(['unlock', f.dir, '--lock-id', id, '--force', '--json'])
    expect(forced.code).toBe(0)
    expect(forced.json.result.removed.pid).toBe(h.pid)
    expect(forced.json.warnings.join('\n')).toMatch(new RegExp(`pid ${h.pid} on this host, which is still running`))
    expect(existsSync(join(f.dir, '.wicker', 'lock'))).toBe(false)
  })

  it('the old `unlock COURSE --force ID` is a usage error pointing at --lock-id', async () => {
    const f = flowCourse({seeds: 4})
    await holder(f.dir)
    const id = lockId(f.dir)
    const run = await wickerIn(['unlock', f.dir, '--force', id, '--json'])
    expect(run.code).toBe(2)
    expect(run.json.message).toContain('--force takes no value')
    expect(run.json.hint).toContain(`--lock-id ${id}`)
    expect(lockId(f.dir)).toBe(id)
  })
})
