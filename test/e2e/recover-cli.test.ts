import {cpSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {sha256Hex} from '../../src/core/hash.js'
import {runMerge} from '../../src/core/merge/run.js'
import {wickerPaths} from '../../src/core/store/paths.js'
import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {FaultyDisk, canonBytes, copyCourse, flowCourse} from '../helpers/flow.js'
import {snapshotTree, writeTree} from '../helpers/fs.js'

const STAGING = 'phase5_baskets_staging'

describe('wicker recover with the built binary', () => {
  it('a merge stuck on E_RECOVERY (canon edited after the merge died) is cleared by `recover --abandon`, and the next merge works', async () => {
    const f = flowCourse({seeds: 8})
    // the merge dies at the rename of its temp file over canon: begin written, canon untouched
    const count = new FaultyDisk(Number.MAX_SAFE_INTEGER, 'EIO', false)
    const trial = copyCourse(f.dir)
    await runMerge({course: trial, cwd: trial, yes: true, disk: count})
    const renameAt = count.log.findIndex((l) => l.includes(' rename ') && l.includes('lego_baskets.json.merge-')) + 1
    await expect(runMerge({course: f.dir, cwd: f.dir, yes: true, disk: new FaultyDisk(renameAt, 'EIO', true)})).rejects.toThrow(/injected EIO at rename/)
    // the "dead" merge was this test process, which is alive, so wicker would rightly keep its lock: remove it as `unlock` would
    rmSync(wickerPaths(f.dir).lock)
    const edited = readFileSync(join(f.dir, 'lego_baskets.json'), 'utf8').replace('\n}\n', ',\n  "zinto": "handed"\n}\n')
    writeFileSync(join(f.dir, 'lego_baskets.json'), edited)

    const stuck = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(stuck.code).toBe(3)
    expect(stuck.json.name).toBe('E_RECOVERY')
    const tx = stuck.json.details.tx as string
    expect(stuck.json.hint).toContain(`wicker recover ${f.dir} --abandon ${tx}`)
    expect((await wickerIn(['extract', f.dir])).code).toBe(3)

    const staging = snapshotTree(join(f.dir, STAGING))
    const human = await wickerIn(['recover', f.dir])
    expect(human.code).toBe(3)
    expect(human.stderr).toContain('--abandon')
    expect(human.stderr).not.toMatch(STACK_TRACE)
    const abandoned = await wickerIn(['recover', f.dir, '--abandon', tx, '--json'])
    expect(abandoned.code).toBe(0)
    expect(abandoned.json.result).toMatchObject({outcome: 'abandoned', tx, canon: {sha256: sha256Hex(edited)}})
    expect(readFileSync(join(f.dir, abandoned.json.result.backup), 'utf8')).toBe(edited)
    expect(readFileSync(join(f.dir, 'lego_baskets.json'), 'utf8')).toBe(edited)
    expect(snapshotTree(join(f.dir, STAGING))).toEqual(staging)
    expect((await wickerIn(['status', f.dir])).stdout).toContain(`Abandoned (wicker recover --abandon): ${tx}`)

    const merged = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(merged.code).toBe(0)
    expect(JSON.parse(canonBytes(f.dir)!.toString('utf8')).zinto).toBe('handed')
    expect(readdirSync(join(f.dir, STAGING))).toEqual(['.applied'])
  })

  it('`wicker extract` on a course carrying a planted journal: exit 3 naming the line, nothing outside the course touched', async () => {
    const f = flowCourse({seeds: 4})
    const outside = writeTree(join(dirname(f.dir), 'outside'), {'x.json': '{"plonk": "vay"}\n'})
    const tx = 'merge-20261201T225145Z-a1b2c3'
    const canon = sha256Hex(canonBytes(f.dir)!)
    const record = {type: 'begin', tx, kind: 'merge', at: '2026-12-01T22:51:45Z', planId: null, target: null, before: null, after: canon, backup: null, moves: [['../outside/x.json', `${STAGING}/.applied/${tx}/x.json`, sha256Hex('{"plonk": "vay"}\n')]], counts: {added: 0, updated: 0, adopted: 0}}
    writeTree(f.dir, {'.wicker/journal.ndjson': `${JSON.stringify(record)}\n`})
    const before = snapshotTree(outside)
    const r = await wickerIn(['extract', f.dir])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('journal.ndjson line 1 is not a record wicker wrote')
    expect(r.stderr).toContain(`--abandon ${tx}`)
    expect(r.stderr).not.toMatch(STACK_TRACE)
    expect(snapshotTree(outside)).toEqual(before)
  })

  it('--abandon of something that is not interrupted is a usage error (exit 2)', async () => {
    const f = flowCourse({seeds: 4})
    const r = await wickerIn(['recover', f.dir, '--abandon', 'merge-20261201T225145Z-a1b2c3', '--json'])
    expect(r.code).toBe(2)
    expect(r.json.name).toBe('E_NO_TX')
    expect((await wickerIn(['recover', f.dir])).stdout).toMatch(/Nothing to recover/)
  })

  it('a merge with --staging outside the course, killed after commit, is finished by `merge --staging` there (exit 0, files moved), not refused', async () => {
    const f = flowCourse({seeds: 4})
    const ext = join(dirname(f.dir), 'ext-batch')
    cpSync(join(f.dir, STAGING), ext, {recursive: true})
    rmSync(join(f.dir, STAGING), {recursive: true})
    const files = readdirSync(ext).sort()
    const first = await wickerIn(['merge', f.dir, '--staging', ext, '--yes', '--json'])
    expect(first.code).toBe(0)
    const tx = first.json.result.tx as string
    // what a kill after `commit` leaves: the files not yet moved, no `done` line
    for (const name of files) renameSync(join(ext, '.applied', tx, name), join(ext, name))
    const journal = wickerPaths(f.dir).journal
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n')
    writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n`)
    const again = await wickerIn(['merge', f.dir, '--staging', ext, '--yes', '--json'])
    expect(again.code).toBe(0)
    expect(again.json.result.recovered.join('\n')).toContain(`finished merge ${tx}`)
    expect(readdirSync(join(ext, '.applied', tx)).sort()).toEqual(files)
    expect(readdirSync(ext)).toEqual(['.applied'])
  })
})
