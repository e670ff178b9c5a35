import {cpSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {writeCourse} from '../../bench/synth/write.js'
import {reportData} from '../../src/core/report/data.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

const SAMPLE = fileURLToPath(new URL('../../sample/courses/qtl_for_qkn', import.meta.url))
const FAST = ['--stagger', '0s', '--backoff', '100ms', '--grace', '300ms']

describe('report data against the built CLI', () => {
  it('embeds the numbers `detect --json` and `validate --json` print for the sample course', async () => {
    const dir = join(tempDir(), 'qtl_for_qkn')
    cpSync(SAMPLE, dir, {recursive: true})
    const detect = (await wickerIn(['detect', dir, '--json'])).json.result
    const validate = (await wickerIn(['validate', dir, '--json'])).json.result
    const {data} = await reportData({course: dir, cwd: dir})
    expect(data.detect).toEqual({counts: detect.counts, coverage: detect.coverage})
    expect(data.validate).toEqual({gate: validate.gate, passed: validate.passed, verdict: validate.verdict, verdictReasons: validate.verdictReasons, counts: validate.counts})
    expect(data.checks).toEqual(validate.checks)
    expect(data.gate.rates.find((r) => r.definition === validate.gate)).toMatchObject({violations: validate.counts.gateViolations, rate: validate.counts.gateViolationRate})
    const seeds = JSON.parse(readFileSync(join(dir, 'lego_pairs.json'), 'utf8')) as {seeds: unknown[]}
    expect(data.seeds).toHaveLength(seeds.seeds.length)
    // the seeds' LEGOs add up to detect's counts
    const sum = (f: (s: (typeof data.seeds)[number]) => number) => data.seeds.reduce((n, s) => n + f(s), 0)
    expect([sum((s) => s.needed), sum((s) => s.present), sum((s) => s.legos.filter((l) => l[1] === 'missing' || l[1] === 'empty' || l[1] === 'stray').length)]).toEqual([detect.counts.needed, detect.counts.present, detect.counts.missing])
  })

  it("reads the ledgers of a real sharded launch with the built-in agent", async () => {
    const dir = writeCourse(tempDir(), generateCourse({seeds: 12, seed: 5, canon: {fill: 0.4}}))
    expect((await wickerIn(['prepare-segments', dir, '--run', 'r1', '--packet-size', '4', '--shards', '2', '--json'])).code).toBe(0)
    for (const i of [1, 2]) expect((await wickerIn(['launch', dir, '--run', 'r1', '--shard', `${i}/2`, ...FAST, '-j', '2', '--json'])).code).toBe(0)
    const status = (await wickerIn(['status', dir, '--run', 'r1', '--json'])).json.result
    const {data} = await reportData({course: dir, cwd: dir})
    expect(data.runs).toHaveLength(1)
    const [run] = data.runs
    expect(run).toMatchObject({run: 'r1', packets: status.run.packets, shards: ['1/2', '2/2'], ok: status.run.packets, failures: {}, interrupted: 0})
    // one ended attempt per packet, each from its shard's ledger, with a start and a duration
    expect(run!.attempts).toHaveLength(status.run.packets)
    expect(run!.byAgent).toEqual([{agent: 'builtin', attempts: status.run.packets, tokens: null, costUsd: null}])
    expect(new Set(run!.attempts.map((a) => a.packet)).size).toBe(status.run.packets)
    for (const a of run!.attempts) expect(a).toMatchObject({attempt: 1, event: 'end', class: 'ok', shard: expect.stringMatching(/^[12]\/2$/), start: expect.any(String), durationMs: expect.any(Number)})
    expect(status.run.perShard.map((s: {shard: string; attempts: number}) => [s.shard, s.attempts])).toEqual(['1/2', '2/2'].map((shard) => [shard, run!.attempts.filter((a) => a.shard === shard).length]))
  })
})
