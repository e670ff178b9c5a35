import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {fakeAgents} from '../helpers/agents.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

const FAST = ['--stagger', '0s', '--backoff', '100ms', '--grace', '300ms', '--json']

describe('launch in the workflow', () => {
  it('regenerated baskets come back as updates, not conflicts, and merge', async () => {
    const synth = generateCourse({seeds: 16, seed: 31, canon: {fill: 1}})
    const dir = writeCourse(tempDir(), synth)
    const canon = JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8'))
    const ids = Object.keys(canon.baskets).filter((id) => synth.course.legoById.get(id)?.isNew).slice(-3)
    const prep = await wickerIn(['prepare-segments', dir, '--ids', ids.join(','), '--regenerate', '--json'])
    expect(prep.json.result.totals.legos).toBe(3)
    expect((await wickerIn(['launch', dir, ...FAST])).code).toBe(0)
    const preview = await wickerIn(['preview', dir, '--json'])
    const classes = Object.fromEntries(preview.json.result.items.map((i: {id: string; class: string}) => [i.id, i.class]))
    // the built-in agent's phrases differ from the generator's, so these are real updates
    for (const id of ids) expect(['update', 'identical']).toContain(classes[id])
    expect(Object.values(classes)).toContain('update')
    expect((await wickerIn(['merge', dir, '--yes', '--json'])).json.result.updated.length).toBe(Object.values(classes).filter((c) => c === 'update').length)
  })

  it('runs segments one after another', async () => {
    const synth = generateCourse({seeds: 24, seed: 32, canon: {fill: 0.3}})
    const dir = writeCourse(tempDir(), synth)
    const prep = await wickerIn(['prepare-segments', dir, '--segments', '2', '--orchestrators', '1', '--agents', '3', '--json'])
    expect(prep.json.result.totals.segments).toBe(2)
    const run = await wickerIn(['launch', dir, ...FAST, '--concurrency', '4'])
    expect(run.json.result.segments.map((s: {index: number; ok: number}) => s.index)).toEqual([1, 2])
    const plan = JSON.parse(readFileSync(join(dir, '.wicker', 'runs', prep.json.result.run, 'plan.json'), 'utf8'))
    const segmentOf = new Map(plan.packets.map((p: {id: string; segment: number}) => [p.id, p.segment]))
    const events = readFileSync(join(dir, '.wicker', 'runs', prep.json.result.run, 'ledger.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    const lastEndOfFirst = Math.max(...events.map((e, i) => (e.event === 'end' && segmentOf.get(e.packet) === 0 ? i : -1)))
    const firstStartOfSecond = events.findIndex((e) => e.event === 'start' && segmentOf.get(e.packet) === 1)
    expect(firstStartOfSecond).toBeGreaterThan(lastEndOfFirst)
  })

  it('stops launching at --max-cost-usd, from the cost agents report', async () => {
    const {bin, state} = fakeAgents()
    const synth = generateCourse({seeds: 24, seed: 33, canon: {fill: 0.3}})
    const dir = writeCourse(tempDir(), synth)
    await wickerIn(['prepare-segments', dir, '--packet-size', '4', '--json'])
    const run = await wickerIn(['launch', dir, '--agent', 'claude', ...FAST, '--concurrency', '1', '--max-cost-usd', '0.03'], {env: {PATH: `${bin}:${process.env.PATH}`, FAKE_MODE: 'ok', FAKE_STATE: state}})
    expect(run.code).toBe(1)
    expect(run.json.result.halted).toMatch(/max-cost-usd/)
    expect(run.json.result.packets.ok).toBe(3) // 3 × $0.0125 ≥ $0.03
    expect(run.json.result.costUsd).toBeCloseTo(0.0375)
    const status = await wickerIn(['status', dir, '--json'])
    expect(status.json.result.runs).toEqual([expect.objectContaining({ok: 3, attempts: 3, active: false})])
  })

  it('never overwrites a file in staging', async () => {
    const {stageOutput} = await import('../../src/core/launch/output.js')
    const dir = tempDir()
    writeFileSync(join(dir, 'r__p__1.json'), 'original')
    await expect(stageOutput(dir, 'r__p__1.json', '{"new": true}')).rejects.toMatchObject({exitCode: 4})
    expect(readFileSync(join(dir, 'r__p__1.json'), 'utf8')).toBe('original')
  })
})
