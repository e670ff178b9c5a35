import {readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {flowCourse} from '../helpers/flow.js'
import {snapshotTree, writeTree} from '../helpers/fs.js'

describe('extract → preview → merge → validate → restore with the built binary', () => {
  it('runs the chain with --json contracts and documented exit codes', async () => {
    const f = flowCourse({seeds: 20})
    const x = await wickerIn(['extract', f.dir, '--json'])
    expect(x.code).toBe(0)
    expect(x.json.result).toMatchObject({files: {total: f.files.length, used: f.files.length, skipped: 0, bad: 0}, candidates: f.baskets.length, duplicates: 0, stagingConflicts: 0, repaired: 0, problems: []})
    expect(Object.keys(x.json.result.formats).sort()).toEqual(['F1', 'F12', 'F2', 'F4', 'F8'])

    const before = snapshotTree(f.dir)
    const p = await wickerIn(['preview', f.dir, '--json', '--detailed-exitcode'])
    expect(p.code).toBe(6)
    expect(p.json.status).toBe(6)
    expect(p.json.result).toMatchObject({counts: {new: f.baskets.length, identical: 0, update: 0, conflict: 0, stagingConflict: 0, overage: 0, orphan: 0, invalid: 0, repaired: 0, stray: 0}, plan: null, reusedExtract: true})
    expect(p.json.result.coverage.after).toBe(1)
    expect(p.json.result.items[0]).toEqual({id: expect.any(String), class: 'new', action: 'apply', sources: [expect.stringContaining('phase5_baskets_staging/')], note: expect.toSatisfy((n) => n === null || typeof n === 'string')})
    expect(snapshotTree(f.dir)).toEqual(before)

    const noTty = await wickerIn(['merge', f.dir])
    expect(noTty.code).toBe(2)
    expect(noTty.stderr).toMatch(/--yes/)

    const m = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(m.code).toBe(0)
    expect(m.json.result).toMatchObject({status: 'merged', tx: expect.stringMatching(/^merge-/), canon: {before: {baskets: f.expected.present}, after: {baskets: f.expected.present + f.baskets.length}}, backup: expect.stringContaining('.wicker/backups/')})
    expect(m.json.result.added).toHaveLength(f.baskets.length)
    expect(m.json.result.updated).toEqual([])
    expect(m.json.result.consumed).toHaveLength(f.files.length)

    expect((await wickerIn(['validate', f.dir, '--strict'])).code).toBe(0)
    expect((await wickerIn(['preview', f.dir, '--detailed-exitcode'])).code).toBe(0)

    const s = await wickerIn(['status', f.dir, '--json'])
    expect(s.json.result).toMatchObject({coverage: 1, canon: {generation: 1}, lock: null, interrupted: null})
    expect(s.json.result.merges[0]).toMatchObject({tx: m.json.result.tx, added: f.baskets.length})

    const r = await wickerIn(['restore', f.dir, '--restage', '--json'])
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({restored: m.json.result.tx, canon: {after: {baskets: f.expected.present}}})
    expect(readdirSync(join(f.dir, 'phase5_baskets_staging')).filter((n) => !n.startsWith('.'))).toHaveLength(f.files.length)
  })

  it('blocks on conflicts with exit 3 (and --detailed-exitcode 3), showing a diff', async () => {
    const f = flowCourse({seeds: 20})
    const canon = JSON.parse(readFileSync(join(f.dir, 'lego_baskets.json'), 'utf8'))
    const id = Object.keys(canon.baskets).find((k) => f.course.legoById.get(k)?.isNew)!
    const lego = f.course.legoById.get(id)!
    writeTree(f.dir, {'phase5_baskets_staging/other.json': {[id]: {practice_phrases: [{known: `${lego.known}!`, target: lego.target}]}}})
    const p = await wickerIn(['preview', f.dir, '--detailed-exitcode'])
    expect(p.code).toBe(3)
    expect(p.stdout).toContain(`${id}: canon (-) vs staging (+)`)
    const m = await wickerIn(['merge', f.dir, '--yes', '--json'])
    expect(m.code).toBe(3)
    expect(m.json).toMatchObject({name: 'E_CONFLICTS', details: {blocked: [expect.objectContaining({id, class: 'conflict'})]}})
    const resolutions = join(f.dir, 'choices.json')
    writeFileSync(resolutions, JSON.stringify({[id]: 'canon'}))
    expect((await wickerIn(['merge', f.dir, '--yes', '--resolutions', resolutions])).code).toBe(0)
  })

  it('merge --plan: stale → 3; twice → "already applied"', async () => {
    const f = flowCourse({seeds: 20})
    const plan = join(f.dir, 'plan.json')
    expect((await wickerIn(['preview', f.dir, '--out', plan])).code).toBe(0)
    const first = await wickerIn(['merge', f.dir, '--plan', plan, '--json'])
    expect(first.json.result.status).toBe('merged')
    const again = await wickerIn(['merge', f.dir, '--plan', plan])
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/already applied/)

    const g = flowCourse({seeds: 20})
    const plan2 = join(g.dir, 'plan.json')
    await wickerIn(['preview', g.dir, '--out', plan2])
    writeFileSync(join(g.dir, 'lego_baskets.json'), `${readFileSync(join(g.dir, 'lego_baskets.json'), 'utf8')}\n`)
    const stale = await wickerIn(['merge', g.dir, '--plan', plan2])
    expect(stale.code).toBe(3)
    expect(stale.stderr).toMatch(/stale plan: canon changed/)
  })

  it('reports bad plan and resolutions files clearly, never with a stack trace', async () => {
    const f = flowCourse({seeds: 10})
    writeTree(f.dir, {'bad-plan.json': {kind: 'something'}, 'bad-res.json': {'../x': 'canon'}})
    for (const args of [['merge', f.dir, '--plan', join(f.dir, 'bad-plan.json')], ['preview', f.dir, '--resolutions', join(f.dir, 'bad-res.json')], ['merge', f.dir, '--plan', join(f.dir, 'missing.json')], ['unlock', f.dir, '--lock-id', 'nope']]) {
      const run = await wickerIn([...args, '--json'])
      expect(run.json?.status, args.join(' ')).toBe(run.code)
      expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE)
    }
    expect((await wickerIn(['merge', f.dir, '--plan', join(f.dir, 'bad-plan.json')])).code).toBe(2)
    expect((await wickerIn(['merge', f.dir, '--plan', join(f.dir, 'missing.json')])).code).toBe(2)
  })
})
