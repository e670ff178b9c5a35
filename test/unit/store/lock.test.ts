import {spawn, spawnSync} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {realDisk} from '../../../src/core/store/disk.js'
import {acquireLock, forceUnlock} from '../../../src/core/store/lock.js'
import {retireLock} from '../../../src/core/store/lock-takeover.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {snapshotTree, tempDir, writeTree} from '../../helpers/fs.js'
import {deadPid, plantLock} from '../../helpers/lock.js'

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url))

/** A course folder next to a sibling "outside" folder holding a file a planted lock aims at. */
function courseWithOutside() {
  const base = tempDir('wicker-lock-')
  const course = join(base, 'course')
  mkdirSync(join(course, '.wicker'), {recursive: true})
  writeTree(join(base, 'outside'), {'victim.conf': 'zorbel = 1\n'})
  return {course, paths: wickerPaths(course), outside: join(base, 'outside')}
}

const take = (course: string) => acquireLock(realDisk, wickerPaths(course), 'wicker merge')
const lockFiles = (course: string) => readdirSync(join(course, '.wicker')).filter((n) => n.startsWith('lock')).sort()

describe('a planted lock is refused, and nothing outside the course is touched', () => {
  it('an id that climbs out of the course (x/../../../outside/victim.conf)', async () => {
    const {course, paths, outside} = courseWithOutside()
    // what a hostile course ships: the lock, and the folder its "stale" name needs to resolve through
    mkdirSync(join(course, '.wicker', 'lock.stale-x'))
    plantLock(course, {lockId: 'x/../../../outside/victim.conf', pid: deadPid(), token: false})
    const before = snapshotTree(outside)
    const error = await take(course).catch((e) => e)
    expect(error).toMatchObject({code: 'E_LOCK_INVALID', exitCode: 2})
    expect(error.message).toContain(paths.lock)
    expect(error.message).toMatch(/lockId: must be a UUID/)
    expect(error.hint).toMatch(/no wicker process .* delete .*\.wicker\/lock by hand/)
    expect(snapshotTree(outside)).toEqual(before)
    expect(existsSync(paths.lock)).toBe(true)
    // unlock cannot be talked into it either
    await expect(forceUnlock(realDisk, paths, 'wrong')).rejects.toMatchObject({code: 'E_LOCK_INVALID', exitCode: 2})
    expect(snapshotTree(outside)).toEqual(before)
  })

  it('garbage bytes, a lock missing fields, and a lock with terminal escapes', async () => {
    for (const [body, problem] of [
      [Buffer.from([0x7b, 0x00, 0xff, 0x71, 0x75, 0x69, 0x62]), /is not JSON/],
      [`${JSON.stringify({lockId: randomUUID(), pid: deadPid()})}\n`, /host: .*command: .*startedAt: /],
      [`${JSON.stringify({lockId: randomUUID(), pid: deadPid(), host: hostname(), command: 'wicker merge\u001b]0;pwned\u0007', startedAt: 'then'})}\n`, /command: must not hold control characters/],
    ] as const) {
      const {course, paths, outside} = courseWithOutside()
      writeFileSync(paths.lock, body)
      const before = snapshotTree(join(course, '..'))
      const error = await take(course).catch((e) => e)
      expect(error).toMatchObject({code: 'E_LOCK_INVALID', exitCode: 2})
      expect(error.message).toMatch(problem)
      expect(snapshotTree(join(course, '..'))).toEqual(before)
      expect(readdirSync(outside)).toEqual(['victim.conf'])
    }
  })

  it('a .wicker that is a symlink out of the course is refused before anything is written through it', async () => {
    const {course, outside} = courseWithOutside()
    const {rmSync, symlinkSync} = await import('node:fs')
    rmSync(join(course, '.wicker'), {recursive: true})
    symlinkSync(outside, join(course, '.wicker'))
    const before = snapshotTree(outside)
    await expect(take(course)).rejects.toMatchObject({code: 'E_LOCK_FOLDER', exitCode: 2, message: expect.stringContaining('is a symlink')})
    expect(snapshotTree(outside)).toEqual(before)
  })

  it('a FIFO where the lock should be is refused at once, not read (which would hang)', async () => {
    const {course, paths} = courseWithOutside()
    expect(spawnSync('mkfifo', [paths.lock]).status).toBe(0)
    const error = await Promise.race([take(course).catch((e) => e), new Promise((r) => setTimeout(() => r('hung'), 3000))])
    expect(error).toMatchObject({code: 'E_LOCK_INVALID', message: expect.stringMatching(/is not a regular file \(a FIFO/)})
  })

  it('a stale lock without a token (an older wicker) is not cleared by itself; unlock --force clears it', async () => {
    const {course, paths} = courseWithOutside()
    const planted = plantLock(course, {pid: deadPid(), token: false})
    const error = await take(course).catch((e) => e)
    expect(error).toMatchObject({code: 'E_LOCK_STALE', exitCode: 3})
    expect(error.hint).toContain(`wicker unlock <course> --lock-id ${planted.lockId}`)
    expect(lockFiles(course)).toEqual(['lock'])
    expect(await forceUnlock(realDisk, paths, planted.lockId)).toMatchObject({lockId: planted.lockId})
    expect(lockFiles(course)).toEqual([`lock.stale-${planted.lockId}`])
    const lock = await take(course)
    await lock.release()
    expect(lockFiles(course)).toEqual([`lock.stale-${planted.lockId}`])
  })
})

describe('taking over a stale lock', () => {
  it('clears the lock of a process that was killed holding it, and says so', async () => {
    const {course, paths} = courseWithOutside()
    // a real holder: a node process that takes the lock with the built code, says so, and waits
    const script = `const {acquireLock} = await import(${JSON.stringify(`${DIST}core/store/lock.js`)}); const {realDisk} = await import(${JSON.stringify(`${DIST}core/store/disk.js`)}); const {wickerPaths} = await import(${JSON.stringify(`${DIST}core/store/paths.js`)}); await acquireLock(realDisk, wickerPaths(process.argv[1]), 'wicker merge'); console.log('held'); setInterval(() => {}, 1000)`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, course], {stdio: ['ignore', 'pipe', 'inherit']})
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => String(d).includes('held') && resolve()))
    const holder = JSON.parse(readFileSync(paths.lock, 'utf8'))
    expect(holder.pid).toBe(child.pid)
    await expect(take(course)).rejects.toMatchObject({code: 'E_LOCK_HELD'})
    child.kill('SIGKILL')
    const [, signal] = await new Promise<[number | null, string | null]>((r) => child.on('exit', (code, sig) => r([code, sig])))
    expect(signal).toBe('SIGKILL')
    const lock = await take(course)
    expect(lock.notes.join('\n')).toMatch(/cleared the lock of wicker merge \(pid \d+\), which is no longer running \(kept as .*lock\.stale-/)
    expect(lockFiles(course)).toEqual(['lock', `lock.${lock.info.lockId}`, `lock.stale-${holder.lockId}`].sort())
    await lock.release()
    expect(lockFiles(course)).toEqual([`lock.stale-${holder.lockId}`])
  })

  it('a live process clearing it blocks (lock held); once that process is gone its claim is claimed again', async () => {
    const {course, paths} = courseWithOutside()
    const stale = plantLock(course, {pid: deadPid()})
    // another wicker in the middle of clearing it: it renamed the token to its claim and is still running
    const claimant = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    const claim = join(paths.root, `lock.${stale.lockId}.claim.${claimant.pid}.${randomUUID()}`)
    renameSync(join(paths.root, `lock.${stale.lockId}`), claim)
    const started = Date.now()
    const error = await take(course).catch((e) => e)
    expect(error).toMatchObject({code: 'E_LOCK_HELD', exitCode: 3, message: expect.stringContaining(`another wicker process (pid ${claimant.pid}) is clearing it`)})
    expect(Date.now() - started).toBeLessThan(3000)
    expect(lockFiles(course)).toEqual(['lock', claim.split('/').pop()!].sort())
    // unlock --force does not race it either
    await expect(forceUnlock(realDisk, paths, stale.lockId)).rejects.toMatchObject({code: 'E_LOCK_HELD'})

    claimant.kill('SIGKILL')
    await new Promise((r) => claimant.on('exit', r))
    const lock = await take(course)
    expect(lock.notes.join('\n')).toMatch(/cleared the lock of wicker merge/)
    expect(lockFiles(course)).toEqual(['lock', `lock.${lock.info.lockId}`, `lock.stale-${stale.lockId}`].sort())
    await lock.release()
  })

  it('a process that saw the lock stale before another took it over cannot move the new lock aside', async () => {
    const {course, paths} = courseWithOutside()
    const stale = plantLock(course, {pid: deadPid()})
    const first = await take(course)
    // the slow process goes on from what it inspected: the stale lock
    expect(await retireLock(realDisk, paths, stale)).toEqual({kind: 'moved-on'})
    expect(JSON.parse(readFileSync(paths.lock, 'utf8')).lockId).toBe(first.info.lockId)
    await first.release()
  })
})

describe('unlock --lock-id [--force]', () => {
  it('removes a live holder\'s lock only by its id and with force; the old holder\'s release then leaves the next lock alone', async () => {
    const {course, paths} = courseWithOutside()
    const a = await take(course)
    await expect(forceUnlock(realDisk, paths, randomUUID(), {force: true})).rejects.toMatchObject({code: 'E_LOCK_ID', exitCode: 2})
    await expect(forceUnlock(realDisk, paths, a.info.lockId)).rejects.toMatchObject({code: 'E_LOCK_LIVE', exitCode: 3})
    expect(await forceUnlock(realDisk, paths, a.info.lockId, {force: true})).toMatchObject({lockId: a.info.lockId})
    const b = await take(course)
    await a.release()
    expect(JSON.parse(readFileSync(paths.lock, 'utf8')).lockId).toBe(b.info.lockId)
    await b.release()
    expect(existsSync(paths.lock)).toBe(false)
    expect(await forceUnlock(realDisk, paths, b.info.lockId)).toBeNull()
  })
})

describe('debris of killed processes', () => {
  it('is removed when a lock is taken, keeping the newest 3 cleared locks and what it cannot judge, and the note says so', async () => {
    const {course, paths} = courseWithOutside()
    const dir = paths.root
    const now = Date.now() / 1000
    const staleIds = Array.from({length: 5}, () => randomUUID())
    staleIds.forEach((id, i) => {
      writeFileSync(join(dir, `lock.stale-${id}`), '{}\n')
      utimesSync(join(dir, `lock.stale-${id}`), now - 1000 + i * 10, now - 1000 + i * 10)
    })
    const oldTemp = `lock.${randomUUID()}.tmp`
    writeFileSync(join(dir, oldTemp), '{"lockId":')
    utimesSync(join(dir, oldTemp), now - 600, now - 600)
    const freshTemp = `lock.${randomUUID()}.tmp`
    writeFileSync(join(dir, freshTemp), '{"lockId":')
    const token = (pid: number, host = hostname()) => {
      const lockId = randomUUID()
      writeFileSync(join(dir, `lock.${lockId}`), JSON.stringify({lockId, pid, host, command: 'wicker merge', startedAt: 'then'}))
      return `lock.${lockId}`
    }
    const dead = deadPid()
    const deadToken = token(dead)
    const liveToken = token(process.ppid)
    const otherHostToken = token(dead, 'elsewhere.example')
    const claimOf = (pid: number) => {
      const name = token(dead)
      const claim = `${name}.claim.${pid}.${randomUUID()}`
      renameSync(join(dir, name), join(dir, claim))
      return claim
    }
    const deadClaim = claimOf(dead)
    const liveClaim = claimOf(process.ppid)

    const lock = await take(course)
    const note = lock.notes.join('\n')
    expect(note).toMatch(/removed what killed processes left next to the lock in .*\.wicker: 1 temp token\(s\), 1 token\(s\) of processes that are gone, 1 claim\(s\) of processes that are gone, 2 older cleared lock\(s\); kept the newest 3 cleared lock\(s\) for reading: /)
    expect(lockFiles(course)).toEqual(
      ['lock', `lock.${lock.info.lockId}`, freshTemp, liveToken, otherHostToken, liveClaim, ...staleIds.slice(2).map((id) => `lock.stale-${id}`)].sort(),
    )
    expect(lockFiles(course)).not.toContain(deadToken)
    expect(lockFiles(course)).not.toContain(deadClaim)
    await lock.release()
    // nothing more to remove: no note
    const again = await take(course)
    expect(again.notes).toEqual([])
    await again.release()
  })
})

describe('waiting for a live holder', () => {
  it('writes nothing while the lock is held, so a kill at any moment of the wait leaves nothing of its own behind', async () => {
    const {course} = courseWithOutside()
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    try {
      plantLock(course, {pid: holder.pid!})
      const before = lockFiles(course)
      const writes: string[] = []
      const watched = {
        ...realDisk,
        writeFile: (path: string, ...rest: any[]) => (writes.push(`write ${path}`), (realDisk.writeFile as any)(path, ...rest)),
        rename: (from: string, to: string) => (writes.push(`rename ${from}`), realDisk.rename(from, to)),
        link: (from: string, to: string) => (writes.push(`link ${from}`), realDisk.link(from, to)),
      }
      const error = await acquireLock(watched, wickerPaths(course), 'wicker merge', {timeoutMs: 400, pollMs: 20}).catch((e) => e)
      expect(error).toMatchObject({code: 'E_LOCK_HELD', message: expect.stringMatching(/waited 0\.[4-9] s/)})
      expect(writes).toEqual([])
      expect(lockFiles(course)).toEqual(before)
    } finally {
      holder.kill('SIGKILL')
    }
  })
})
