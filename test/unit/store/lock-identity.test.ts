import {randomUUID} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'

import {processStartTime} from '../../../src/core/proc/identity.js'
import {realDisk, type Disk} from '../../../src/core/store/disk.js'
import {acquireLock, forceUnlock} from '../../../src/core/store/lock.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {tempDir} from '../../helpers/fs.js'
import {deadPid, holdLock, plantLock, procIdentity, sleeper} from '../../helpers/lock.js'

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url))

function course() {
  const dir = join(tempDir('wicker-lockid-'), 'course')
  mkdirSync(join(dir, '.wicker'), {recursive: true})
  return {dir, paths: wickerPaths(dir)}
}

const take = (dir: string, disk: Disk = realDisk) => acquireLock(disk, wickerPaths(dir), 'wicker merge')
const lockFiles = (dir: string) => readdirSync(join(dir, '.wicker')).filter((n) => n.startsWith('lock')).sort()
const lockIdOf = (dir: string) => JSON.parse(readFileSync(join(dir, '.wicker', 'lock'), 'utf8')).lockId
const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const children: Array<{kill(signal?: NodeJS.Signals): boolean}> = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})
async function live<T extends {kill(signal?: NodeJS.Signals): boolean}>(started: Promise<T>): Promise<T> {
  const child = await started
  children.push(child)
  return child
}

describe('a lock says who holds it beyond the pid (boot id, pid namespace, start time)', () => {
  it('a real holder records them, and its lock is held: a live process in our namespace is never taken over', async () => {
    const {dir, paths} = course()
    const holder = await live(holdLock(dir, DIST))
    const doc = JSON.parse(readFileSync(paths.lock, 'utf8'))
    expect(doc).toMatchObject({pid: holder.pid, ...procIdentity(holder.pid)})
    const error = await take(dir).catch((e) => e)
    expect(error).toMatchObject({code: 'E_LOCK_HELD', exitCode: 3})
    expect(error.hint).toContain(`wicker unlock <course> --lock-id ${doc.lockId}`)
    expect(lockIdOf(dir)).toBe(doc.lockId)
  })

  it('a pid that is alive but started at another time (reused by an unrelated process) is stale: taken over', async () => {
    const {dir, paths} = course()
    const other = await live(sleeper())
    const real = procIdentity(other.pid)
    const stale = plantLock(dir, {pid: other.pid, ...real, startTicks: real.startTicks - 7})
    const lock = await take(dir)
    expect(alive(other.pid)).toBe(true)
    expect(lock.notes.join('\n')).toMatch(new RegExp(`cleared the lock of wicker merge \\(pid ${other.pid}\\), which is no longer running`))
    expect(lockFiles(dir)).toEqual(['lock', `lock.${lock.info.lockId}`, `lock.stale-${stale.lockId}`].sort())
    expect(lockIdOf(dir)).toBe(lock.info.lockId)
    await lock.release()
    expect(existsSync(paths.lock)).toBe(false)
  })

  it('a lock of another pid namespace (a container sharing the host name) is never cleared by itself, even when that pid is not alive here', async () => {
    const {dir, paths} = course()
    const dead = deadPid()
    const planted = plantLock(dir, {pid: dead, ...procIdentity(process.pid), pidNamespace: 'pid:[4026599999]', startTicks: 4242})
    expect(alive(dead)).toBe(false)
    const before = lockFiles(dir)
    const error = await take(dir).catch((e) => e)
    expect(error).toMatchObject({code: 'E_LOCK_HELD', exitCode: 3})
    expect(error.hint).toContain(`wicker unlock <course> --lock-id ${planted.lockId}`)
    expect(lockFiles(dir)).toEqual(before)
    // a person who checked clears it by its id
    expect(await forceUnlock(realDisk, paths, planted.lockId)).toMatchObject({lockId: planted.lockId})
    const lock = await take(dir)
    await lock.release()
  })

  it('with WICKER_EXCLUSIVE_HOSTNAME=1 (a pod of an Indexed Job, whose host name is its own) a lock of another pid namespace is a dead predecessor\'s: taken over', async () => {
    const {dir} = course()
    const planted = plantLock(dir, {pid: deadPid(), ...procIdentity(process.pid), pidNamespace: 'pid:[4026599999]', startTicks: 4242})
    process.env.WICKER_EXCLUSIVE_HOSTNAME = '1'
    try {
      const lock = await take(dir)
      expect(lockIdOf(dir)).not.toBe(planted.lockId)
      await lock.release()
    } finally {
      delete process.env.WICKER_EXCLUSIVE_HOSTNAME
    }
    // any other value is not the promise: the lock of another namespace stays held
    const again = plantLock(dir, {pid: deadPid(), ...procIdentity(process.pid), pidNamespace: 'pid:[4026599999]', startTicks: 4242})
    process.env.WICKER_EXCLUSIVE_HOSTNAME = 'yes'
    try {
      expect(await take(dir).catch((e) => e)).toMatchObject({code: 'E_LOCK_HELD'})
      expect(lockIdOf(dir)).toBe(again.lockId)
    } finally {
      delete process.env.WICKER_EXCLUSIVE_HOSTNAME
    }
  })

  it('a lock from another boot (the machine rebooted) is stale even when its pid is alive now', async () => {
    const {dir} = course()
    const other = await live(sleeper())
    const stale = plantLock(dir, {pid: other.pid, ...procIdentity(other.pid), bootId: randomUUID()})
    const lock = await take(dir)
    expect(alive(other.pid)).toBe(true)
    expect(lock.notes.join('\n')).toMatch(/cleared the lock of wicker merge/)
    expect(lockFiles(dir)).toContain(`lock.stale-${stale.lockId}`)
    await lock.release()
  })

  it('a lock of the previous version (no such fields) is judged by host and pid, as before', async () => {
    const {dir} = course()
    const other = await live(sleeper())
    const held = plantLock(dir, {pid: other.pid})
    expect(held).not.toHaveProperty('bootId')
    await expect(take(dir)).rejects.toMatchObject({code: 'E_LOCK_HELD'})
    other.kill('SIGKILL')
    await new Promise((r) => other.once('exit', r))
    expect(alive(other.pid)).toBe(false)
    const lock = await take(dir)
    expect(lock.notes.join('\n')).toMatch(/cleared the lock of wicker merge/)
    await lock.release()
  })

  it('reads the start time of a process whose name holds spaces and parentheses', async () => {
    const bin = join(tempDir('wicker-comm-'), 'zib) (qua) 9')
    symlinkSync('/bin/sleep', bin)
    const child = await live(sleeper(bin, ['30']))
    expect(readFileSync(`/proc/${child.pid}/stat`, 'utf8')).toContain('(zib) (qua) 9)')
    const started = processStartTime(child.pid)
    const uptimeTicks = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100
    // it started after this process and before now
    expect(started).toBeGreaterThanOrEqual(processStartTime(process.pid)!)
    expect(started).toBeLessThanOrEqual(uptimeTicks + 100)
    expect(processStartTime(deadPid())).toBeNull()
  })
})

describe('a listing that misses a name never costs a lock', () => {
  it('a stale lock whose token a listing missed is still taken over (not a spurious E_LOCK_STALE)', async () => {
    const {dir} = course()
    const stale = plantLock(dir, {pid: deadPid()})
    // what POSIX allows while another process renames in the folder: a readdir without that name
    let misses = 1
    const disk: Disk = {...realDisk, readdir: async (p) => (await realDisk.readdir(p)).filter((n) => !(n === `lock.${stale.lockId}` && misses-- > 0))}
    const lock = await take(dir, disk)
    expect(lock.notes.join('\n')).toMatch(/cleared the lock of wicker merge/)
    await lock.release()
  })

  it('unlock --lock-id of a lock whose token a listing missed clears it through that token', async () => {
    const {dir, paths} = course()
    const stale = plantLock(dir, {pid: deadPid()})
    let misses = 2
    const disk: Disk = {...realDisk, readdir: async (p) => (await realDisk.readdir(p)).filter((n) => !(n === `lock.${stale.lockId}` && misses-- > 0))}
    expect(await forceUnlock(disk, paths, stale.lockId)).toMatchObject({lockId: stale.lockId})
    expect(lockFiles(dir)).toEqual([`lock.stale-${stale.lockId}`])
  })

  it('unlock --lock-id of a lock without a token never moves the lock a third process took meanwhile', async () => {
    const {dir, paths} = course()
    const old = plantLock(dir, {pid: deadPid(), token: false})
    // Right after unlock has read the old lock for the last time, its holder (an older wicker) releases
    // it and a real wicker process takes the lock.
    let reads = 0
    let third: Awaited<ReturnType<typeof holdLock>> | undefined
    const disk: Disk = {
      ...realDisk,
      readFile: async (p) => {
        const bytes = await realDisk.readFile(p)
        if (p === paths.lock && ++reads === 2) {
          unlinkSync(paths.lock)
          third = await live(holdLock(dir, DIST))
        }
        return bytes
      },
    }
    const error = await forceUnlock(disk, paths, old.lockId).catch((e) => e)
    expect(third).toBeDefined()
    const taken = JSON.parse(readFileSync(paths.lock, 'utf8'))
    expect(taken.pid).toBe(third!.pid)
    expect(error).toMatchObject({code: 'E_LOCK_ID', exitCode: 2})
    expect(lockFiles(dir)).toEqual(['lock', `lock.${taken.lockId}`])
    await expect(take(dir)).rejects.toMatchObject({code: 'E_LOCK_HELD'})
  })
})
