import {mkdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {readRuns, summarizeRun} from '../../../src/core/report/runs.js'
import {ledgerEntrySchema, type LedgerEntry} from '../../../src/core/schemas/ledger.js'
import {tempDir, writeTree} from '../../helpers/fs.js'

const P1 = 'p000000000000001'
const P2 = 'p000000000000002'
const P3 = 'p000000000000003'
const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 10, 0, s)).toISOString()
const start = (packet: string, attempt: number, s: number): LedgerEntry => ({event: 'start', packet, attempt, pid: 100 + s, at: at(s)})
const end = (packet: string, attempt: number, s: number, rest: Partial<Extract<LedgerEntry, {event: 'end'}>>): LedgerEntry => ({event: 'end', packet, attempt, pid: 100 + s, at: at(s + 5), start: at(s), end: at(s + 5), durationMs: 5000, ...rest})
/** ledger lines as launch writes them: each checked by the ledger's schema */
const ndjson = (entries: LedgerEntry[]) => entries.map((e) => `${JSON.stringify(ledgerEntrySchema.parse(e))}\n`).join('')

describe('report runs', () => {
  const course = tempDir()
  const run = join(course, '.wicker', 'runs', 'r1')
  writeTree(run, {
    // the run's own ledger: P1 rate-limited, then ok with tokens and cost; P2 left running by a killed launch
    'ledger.ndjson': ndjson([
      start(P1, 1, 0),
      end(P1, 1, 0, {class: 'rate-limited', tokens: null, costUsd: null}),
      start(P1, 2, 10),
      end(P1, 2, 10, {class: 'ok', agent: 'claude', tokens: {input: 1000, output: 200}, costUsd: 0.25, staged: 'phase5_baskets_staging/r1__p000000000000001__2.json'}),
      start(P2, 1, 20),
    ]),
    // shard 2 of 3: P3 timed out, then ok (its lines carry the shard as launch --shard writes them)
    'shards/2-of-3/ledger.ndjson': ndjson([
      {...start(P3, 1, 30), shard: '2/3'},
      {...end(P3, 1, 30, {class: 'timeout', agent: 'codex', costUsd: 0.5}), shard: '2/3'},
      {...start(P3, 2, 40), shard: '2/3'},
      {...end(P3, 2, 40, {class: 'ok', agent: 'claude', tokens: {input: 500, output: 100}, costUsd: 0.125}), shard: '2/3'},
    ]),
  })
  // shard 3 of 3 is a symlink to a folder outside the course, with a ledger of its own: never read
  const outside = writeTree(tempDir(), {'ledger.ndjson': ndjson([start(P2, 9, 50), end(P2, 9, 50, {class: 'ok', costUsd: 99})])})
  symlinkSync(outside, join(run, 'shards', '3-of-3'))
  // a run folder that is a symlink is not followed either
  symlinkSync(run, join(course, '.wicker', 'runs', 'r2'))
  mkdirSync(join(course, '.wicker', 'runs', 'not a run'))

  it('reads every attempt of the run and of its real shard folders, and says what it did not follow', async () => {
    const warnings: string[] = []
    const runs = await readRuns(course, warnings)
    expect(runs.map((r) => [r.run, r.ledgers.map((l) => [l.shard, l.entries.length])])).toEqual([['r1', [[null, 5], ['2/3', 4]]]])
    expect(warnings).toEqual([expect.stringMatching(/r1\/shards\/3-of-3 is a symbolic link: not followed/), expect.stringMatching(/runs\/r2 is a symbolic link: not followed/)])
  })

  it('gives each attempt its packet, attempt, shard, start, duration and class; failures by class; tokens and cost', async () => {
    const [r1] = await readRuns(course, [])
    const summary = summarizeRun(r1!)
    expect(summary.attempts.map((a) => [a.packet, a.attempt, a.shard, a.event, a.start, a.durationMs, a.class])).toEqual([
      [P1, 1, null, 'end', at(0), 5000, 'rate-limited'],
      [P1, 2, null, 'end', at(10), 5000, 'ok'],
      [P2, 1, null, 'start', at(20), null, null],
      [P3, 1, '2/3', 'end', at(30), 5000, 'timeout'],
      [P3, 2, '2/3', 'end', at(40), 5000, 'ok'],
    ])
    expect(summary.failures).toEqual({'rate-limited': 1, timeout: 1})
    // per agent kind, as the ledger lines name it (the first attempt's line names none, as in an older ledger)
    expect(summary.byAgent).toEqual([
      {agent: null, attempts: 1, tokens: null, costUsd: null},
      {agent: 'claude', attempts: 2, tokens: {input: 1500, output: 300}, costUsd: 0.375},
      {agent: 'codex', attempts: 1, tokens: null, costUsd: 0.5},
    ])
    expect(summary).toMatchObject({run: 'r1', packets: null, shards: ['2/3'], ok: 2, interrupted: 0, tokens: {input: 1500, output: 300}, costUsd: 0.875})
  })

  it('says tokens and cost are unknown when no attempt reports them', () => {
    const summary = summarizeRun({run: 'r3', packets: 1, ledgers: [{shard: null, entries: [start(P1, 1, 0), end(P1, 1, 0, {class: 'crash'})]}]})
    expect(summary).toMatchObject({tokens: null, costUsd: null, ok: 0, failures: {crash: 1}})
  })
})
