import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {BIN} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'
import {plantLock} from '../helpers/lock.js'
import {alive, waitFor} from '../helpers/procs.js'

/**
 * A launch SIGKILLed on another host (a CI runner, a pod) leaves its run's or shard's lock, which no
 * wicker here may judge stale: `wicker unlock --lock-id` must find it where launch keeps it.
 */
const FAST = ['--stagger', '0s', '--grace', '300ms']

async function preparedCourse(seed: number, shards: number | null): Promise<string> {
  const dir = writeCourse(tempDir(), generateCourse({seeds: 12, seed, canon: {fill: 0.3}}))
  // in process: the launches that hold locks are the processes here
  const prep = await wickerIn(['prepare-segments', dir, '--run', 'r1', '--packet-size', '4', ...(shards ? ['--shards', String(shards)] : []), '--json'])
  expect(prep.code, prep.stderr).toBe(0)
  return dir
}

const startsIn = (ledger: string) => (existsSync(ledger) ? readFileSync(ledger, 'utf8').split('\n').filter((l) => l.includes('"event":"start"')).length : 0)

/** A real `wicker launch` whose agents hang, once it holds its lock and one agent has started: its pid and how to wait for its end. */
async function hangingLaunch(dir: string, args: string[], folder: string): Promise<{pid: number; exited: Promise<number | null>}> {
  const child = spawn(process.execPath, [BIN, 'launch', dir, '--run', 'r1', ...args, ...FAST, '-j', '1'], {env: {...process.env, WICKER_BUILTIN_FAIL: 'hang', NO_COLOR: '1'}, stdio: 'ignore'})
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  expect(await waitFor(() => existsSync(join(folder, 'lock')) && startsIn(join(folder, 'ledger.ndjson')) > 0, 20_000)).toBe(true)
  return {pid: child.pid!, exited}
}

const lockNames = (folder: string) => readdirSync(folder).filter((n) => n.startsWith('lock')).sort()

describe.each([
  {what: 'a shard\'s lock (launch --shard 1/2)', shards: 2, args: ['--shard', '1/2'], rel: '.wicker/runs/r1/shards/1-of-2', command: 'wicker launch r1 --shard 1/2'},
  {what: 'a run\'s lock (launch of the whole run)', shards: null, args: [], rel: '.wicker/runs/r1', command: 'wicker launch r1'},
])('$what left by a launch SIGKILLed on another host', async ({shards, args, rel, command}) => {
  it('blocks the next launch (exit 3, naming its id) until `wicker unlock --lock-id` removes it, kept as lock.stale-<id>; then the launch runs', async () => {
    const dir = await preparedCourse(shards ? 51 : 52, shards)
    const folder = join(dir, rel)
    const launch = await hangingLaunch(dir, args, folder)
    process.kill(launch.pid, 'SIGKILL')
    await launch.exited
    expect(alive(launch.pid)).toBe(false)

    // the lock stays; it was this host's, so wicker would clear it by itself: make it another host's
    const lockFile = join(folder, 'lock')
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {lockId: string; pid: number; host: string; command: string}
    expect(lock).toMatchObject({pid: launch.pid, command})
    // written in place: the lock and its token are one file (a hard link), as on the runner that wrote it
    writeFileSync(lockFile, `${JSON.stringify({...lock, host: 'ci-runner-7'})}\n`)
    expect(lockNames(folder)).toEqual(['lock', `lock.${lock.lockId}`])

    const blocked = await wickerIn(['launch', dir, '--run', 'r1', ...args, ...FAST, '--json'])
    expect(blocked.code, blocked.stderr).toBe(3)
    expect(blocked.json).toMatchObject({name: 'E_LOCK_HELD', message: expect.stringContaining(`pid ${launch.pid} on ci-runner-7`), hint: expect.stringContaining(`wicker unlock <course> --lock-id ${lock.lockId}`)})
    expect(blocked.json.hint).toMatch(/no longer runs on ci-runner-7/)
    expect(existsSync(lockFile)).toBe(true)
    // a launcher of the other split is refused too, and told the same way out
    const split = await wickerIn(['launch', dir, '--run', 'r1', ...(shards ? [] : ['--shard', '1/2']), ...FAST, '--json'])
    expect(split.code, split.stderr).toBe(3)
    expect(split.json).toMatchObject({name: 'E_RUN_SPLIT', hint: expect.stringContaining(`wicker unlock <course> --lock-id ${lock.lockId}`)})

    // status shows the lock of the other host with its id, and the way out
    if (shards) {
      const status = await wickerIn(['status', dir, '--run', 'r1', '--json'])
      expect(status.json.result.run.perShard[0].lock).toMatchObject({lockId: lock.lockId, host: 'ci-runner-7', pid: launch.pid, stale: false, thisHost: false})
      expect((await wickerIn(['status', dir, '--run', 'r1'])).stdout).toContain(`shard 1/2 is locked by ${command} (pid ${launch.pid} on ci-runner-7); if that launch is gone, remove the lock with wicker unlock <course> --lock-id ${lock.lockId}`)
    }

    const unlock = await wickerIn(['unlock', dir, '--lock-id', lock.lockId])
    expect(unlock.code, unlock.stderr).toBe(0)
    expect(unlock.stdout).toContain(`Removed the lock of ${command} (pid ${launch.pid} on ci-runner-7): ${rel}/lock, kept as ${rel}/lock.stale-${lock.lockId}.`)
    expect(existsSync(lockFile)).toBe(false)
    expect(JSON.parse(readFileSync(join(folder, `lock.stale-${lock.lockId}`), 'utf8'))).toMatchObject({lockId: lock.lockId, host: 'ci-runner-7'})
    expect(lockNames(folder)).toEqual([`lock.stale-${lock.lockId}`])

    const again = await wickerIn(['launch', dir, '--run', 'r1', ...args, ...FAST, '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.json.result.packets.failed).toBe(0)
    expect(again.json.result.packets.ok).toBeGreaterThan(0)
    expect(existsSync(lockFile)).toBe(false)
  })
})

describe('unlock --lock-id with an id no lock has', () => {
  it('exits 2 listing every lock there is (course, run, shard) with its id and where; removes none', async () => {
    const dir = await preparedCourse(53, 2)
    const shardDir = join(dir, '.wicker', 'runs', 'r1', 'shards', '2-of-2')
    mkdirSync(shardDir, {recursive: true})
    const course = plantLock(dir, {pid: 4242, host: 'laptop-9', command: 'wicker merge'})
    const shard = plantLock(dir, {pid: 4343, host: 'pod-wicker-1', command: 'wicker launch r1 --shard 2/2', root: shardDir})
    const wrong = '0badc0de-0000-4000-8000-000000000000'
    const r = await wickerIn(['unlock', dir, '--lock-id', wrong, '--json'])
    expect(r.code).toBe(2)
    expect(r.json.name).toBe('E_LOCK_ID')
    expect(r.json.message).toContain(wrong)
    expect(r.json.message).toContain(`${course.lockId} at .wicker/lock (the course: wicker merge, pid 4242 on laptop-9)`)
    expect(r.json.message).toContain(`${shard.lockId} at .wicker/runs/r1/shards/2-of-2/lock (run r1, shard 2/2: wicker launch r1 --shard 2/2, pid 4343 on pod-wicker-1)`)
    expect(r.json.details.locks.map((l: {lock: string}) => l.lock)).toEqual(['.wicker/lock', '.wicker/runs/r1/shards/2-of-2/lock'])
    expect(existsSync(join(dir, '.wicker', 'lock'))).toBe(true)
    expect(existsSync(join(shardDir, 'lock'))).toBe(true)

    // the right id removes only that lock
    const u = await wickerIn(['unlock', dir, '--lock-id', shard.lockId, '--json'])
    expect(u.code, u.stderr).toBe(0)
    expect(u.json.result).toMatchObject({removed: {lockId: shard.lockId}, lock: '.wicker/runs/r1/shards/2-of-2/lock', keptAs: `.wicker/runs/r1/shards/2-of-2/lock.stale-${shard.lockId}`})
    expect(existsSync(join(dir, '.wicker', 'lock'))).toBe(true)
  })

  it('a lock found twice (a folder copied with its lock) is refused, exit 2 naming both; a lock wicker cannot read stays E_LOCK_INVALID', async () => {
    const dir = await preparedCourse(57, 2)
    const runs = join(dir, '.wicker', 'runs', 'r1', 'shards')
    for (const slug of ['1-of-2', '2-of-2']) mkdirSync(join(runs, slug), {recursive: true})
    const held = plantLock(dir, {host: 'elsewhere', command: 'wicker launch r1 --shard 1/2', root: join(runs, '1-of-2')})
    plantLock(dir, {...held, root: join(runs, '2-of-2')})
    const twice = await wickerIn(['unlock', dir, '--lock-id', held.lockId, '--json'])
    expect(twice.code).toBe(2)
    expect(twice.json).toMatchObject({name: 'E_LOCK_COPIES', details: {locks: ['.wicker/runs/r1/shards/1-of-2/lock', '.wicker/runs/r1/shards/2-of-2/lock']}})
    expect(lockNames(join(runs, '1-of-2'))).toEqual(['lock', `lock.${held.lockId}`])

    const other = await preparedCourse(58, null)
    writeFileSync(join(other, '.wicker', 'lock'), '{"pid": "not one"')
    const bad = await wickerIn(['unlock', other, '--lock-id', held.lockId, '--json'])
    expect(bad.code).toBe(2)
    expect(bad.json).toMatchObject({name: 'E_LOCK_INVALID', hint: expect.stringMatching(/delete .* by hand/)})
  })

  it('with no lock at all: "There was no lock", exit 0', async () => {
    const dir = await preparedCourse(54, 2)
    const r = await wickerIn(['unlock', dir, '--lock-id', '0badc0de-0000-4000-8000-000000000000'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('There was no lock.')
  })

  it('never reads or moves a lock through a symlinked run folder', async () => {
    const dir = await preparedCourse(55, null)
    const outside = tempDir()
    const planted = plantLock(dir, {root: outside, host: 'elsewhere', command: 'wicker launch r2'})
    symlinkSync(outside, join(dir, '.wicker', 'runs', 'r2'))
    const r = await wickerIn(['unlock', dir, '--lock-id', planted.lockId, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.result.removed).toBeNull()
    expect(r.json.warnings.join('\n')).toMatch(/r2 is a symbolic link: not followed/)
    expect(lockNames(outside)).toEqual(['lock', `lock.${planted.lockId}`])
  })
})

describe('unlock of a launch still running on this host', () => {
  it('is refused without --force (exit 3, E_LOCK_LIVE, the lock left); --force removes it, warning with its pid', async () => {
    const dir = await preparedCourse(56, 2)
    const folder = join(dir, '.wicker', 'runs', 'r1', 'shards', '2-of-2')
    const launch = await hangingLaunch(dir, ['--shard', '2/2'], folder)
    try {
      const {lockId} = JSON.parse(readFileSync(join(folder, 'lock'), 'utf8')) as {lockId: string}
      const refused = await wickerIn(['unlock', dir, '--lock-id', lockId, '--json'])
      expect(refused.code).toBe(3)
      expect(refused.json).toMatchObject({name: 'E_LOCK_LIVE', message: expect.stringContaining(`pid ${launch.pid} on this host, which is still running`)})
      expect(lockNames(folder)).toEqual(['lock', `lock.${lockId}`])
      expect(alive(launch.pid)).toBe(true)

      const forced = await wickerIn(['unlock', dir, '--lock-id', lockId, '--force', '--json'])
      expect(forced.code, forced.stderr).toBe(0)
      expect(forced.json.result.lock).toBe('.wicker/runs/r1/shards/2-of-2/lock')
      expect(forced.json.warnings.join('\n')).toContain(`pid ${launch.pid} on this host, which is still running (--force)`)
      expect(lockNames(folder)).toEqual([`lock.stale-${lockId}`])
    } finally {
      process.kill(launch.pid, 'SIGKILL')
      await launch.exited
    }
  })
})
