import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {BIN, STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {copyCourse, flowCourse} from '../helpers/flow.js'
import {deadPid, plantLock} from '../helpers/lock.js'

const MERGES = 4
/**
 * The race itself (four merges over one stale lock) runs 200 times against the merge code in
 * test/unit/merge/merge-race.test.ts; here the real CLI's side of it (exit 3 E_LOCK_HELD and its
 * JSON, no stack trace, staging kept or moved, the stale lock kept for reading), which every trial
 * checks: 3 trials of 4 processes (each trial is 4 CLI starts; the race's odds are the unit test's).
 */
const TRIALS = 3

interface Run {
  i: number
  code: number | null
  json: any
  stderr: string
}

function merge(dir: string, i: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'merge', dir, '--staging', join(dir, `batch${i}`), '--yes', '--json'], {env: {...process.env, NO_COLOR: '1'}})
    let out = ''
    let stderr = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => resolve({i, code, json: JSON.parse(out), stderr}))
  })
}

const baskets = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8')).baskets
const stagingFiles = (batch: string): string[] =>
  readdirSync(batch, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort()

describe(`${MERGES} wicker merge processes at once over a stale lock`, () => {
  it(`in each of ${TRIALS} trials, every basket a merge reports as added is in canon, and no staging file is lost`, async () => {
    const f = flowCourse({seeds: 30, formats: ['F1']})
    const files = readdirSync(join(f.dir, 'phase5_baskets_staging')).sort()
    for (let i = 0; i < MERGES; i++) mkdirSync(join(f.dir, `batch${i}`))
    files.forEach((name, i) => renameSync(join(f.dir, 'phase5_baskets_staging', name), join(f.dir, `batch${i % MERGES}`, name)))
    const dead = deadPid()
    let merged = 0
    for (let t = 0; t < TRIALS; t++) {
      const dir = copyCourse(f.dir)
      const stale = plantLock(dir, {pid: dead})
      const before = baskets(dir)
      const runs = await Promise.all(Array.from({length: MERGES}, (_, i) => merge(dir, i)))

      const winners = runs.filter((r) => r.code === 0)
      expect(winners.length, `trial ${t}`).toBeGreaterThan(0)
      for (const r of runs) {
        expect(r.stderr).not.toMatch(STACK_TRACE)
        if (r.code !== 0) expect([r.code, r.json.name], `trial ${t}, merge ${r.i}: ${r.json.message}`).toEqual([3, 'E_LOCK_HELD'])
        else expect(r.json.result.status).toBe('merged')
      }
      const added = winners.flatMap((r) => r.json.result.added as string[])
      const after = baskets(dir)
      for (const id of added) expect(after[id], `trial ${t}: ${id} was reported added and is not in canon`).toBeDefined()
      for (const [id, basket] of Object.entries(before)) expect(after[id]).toEqual(basket)
      expect(Object.keys(after).sort(), `trial ${t}`).toEqual([...Object.keys(before), ...added].sort())
      // a winner's staging went to .applied/, a loser's is untouched; none is lost
      for (const r of runs) {
        const batch = join(dir, `batch${r.i}`)
        const all = stagingFiles(batch)
        expect(all, `trial ${t}, merge ${r.i}`).toEqual(files.filter((_, k) => k % MERGES === r.i).sort())
        expect(readdirSync(batch).filter((n) => n !== '.applied').length, `trial ${t}, merge ${r.i}`).toBe(r.code === 0 ? 0 : all.length)
      }
      // the stale lock was cleared once, kept for reading, and nobody holds the lock now
      const cleared = runs.filter((r) => ((r.json.warnings ?? []) as string[]).some((w) => w.includes(`lock.stale-${stale.lockId}`)))
      expect(cleared.length).toBeLessThanOrEqual(1)
      expect(existsSync(join(dir, '.wicker', `lock.stale-${stale.lockId}`))).toBe(true)
      expect(existsSync(join(dir, '.wicker', 'lock'))).toBe(false)
      merged += winners.length
    }
    console.log(`merge race: ${TRIALS} trials × ${MERGES} merges over a stale lock, ${merged} merged, none lost`)
  }, 180_000)

  it('a lock that is not wicker\'s is refused with exit 2, a message naming it and no stack trace', async () => {
    const f = flowCourse({seeds: 6})
    mkdirSync(join(f.dir, '.wicker'))
    writeFileSync(join(f.dir, '.wicker', 'lock'), '{"lockId": "../../x", "pid": 1}')
    const r = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(r.code).toBe(2)
    expect(r.json).toMatchObject({name: 'E_LOCK_INVALID', message: expect.stringContaining(join(f.dir, '.wicker', 'lock'))})
    expect(r.json.hint).toMatch(/delete .* by hand/)
    expect(r.stderr).not.toMatch(STACK_TRACE)
    const s = await wickerIn(['status', f.dir, '--json'])
    expect(s.code).toBe(0)
    expect(s.json.result.lock).toMatchObject({stale: false, problem: expect.stringMatching(/is not a lock wicker wrote/)})
  })

  it('a stale lock without a token is left for a person: merge exits 3 naming `wicker unlock`, status says why, unlock --lock-id clears it', async () => {
    const f = flowCourse({seeds: 6})
    const old = plantLock(f.dir, {pid: deadPid(), token: false})
    const m = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(m.code).toBe(3)
    expect(m.json).toMatchObject({name: 'E_LOCK_STALE', hint: expect.stringContaining(`wicker unlock <course> --lock-id ${old.lockId}`)})
    const s = await wickerIn(['status', f.dir])
    expect(s.stdout).toContain(`that process is gone, but it has no token`)
    expect((await wickerIn(['unlock', f.dir, '--lock-id', 'b0b0b0b0-0000-4000-8000-000000000000', '--json'])).json.name).toBe('E_LOCK_ID')
    const u = await wickerIn(['unlock', f.dir, '--lock-id', old.lockId])
    expect(u.code).toBe(0)
    expect(u.stdout).toMatch(/Removed the lock of wicker merge/)
    expect((await wickerIn(['merge', f.dir, '--yes', '--json'])).json.result.status).toBe('merged')
    expect(readdirSync(join(f.dir, '.wicker')).filter((n) => n.startsWith('lock'))).toEqual([`lock.stale-${old.lockId}`])
  })
})
