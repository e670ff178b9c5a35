import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../../bench/synth/generate.js'
import {writeCourse} from '../../../bench/synth/write.js'
import {readLedger, RunLedger, summarize} from '../../../src/core/launch/ledger.js'
import {runPrepare} from '../../../src/core/segments/run.js'
import {runStatus} from '../../../src/core/status/status.js'
import {tempDir} from '../../helpers/fs.js'

const P1 = 'p000000000000001'
const P2 = 'p000000000000002'
const at = '2026-01-01T00:00:00.000Z'
const line = (v: unknown) => `${JSON.stringify(v)}\n`

describe('the run ledger', () => {
  it('keeps an attempt whose message quotes more than an entry holds (a spawn error naming a 5,000-character command), cut', async () => {
    const file = join(tempDir(), 'ledger.ndjson')
    const {ledger} = await RunLedger.open(file)
    await ledger.append({event: 'end', packet: P1, attempt: 1, pid: null, at, class: 'auth', message: `could not start the agent: spawn /${'x'.repeat(5000)} ENOENT`})
    const read = await readLedger(file)
    expect(read.invalid).toEqual([])
    expect(read.entries[0]).toMatchObject({class: 'auth', message: expect.stringMatching(/^could not start the agent: spawn \/x+…$/)})
    expect((read.entries[0] as {message: string}).message).toHaveLength(4096)
  })

  it('an agent reporting a negative or endless cost reports none (it would lower the --max-cost-usd sum)', async () => {
    const {makeAgent} = await import('../../../src/core/launch/agents.js')
    const claude = makeAgent('claude', {agentBin: 'claude'})
    for (const cost of [-0.5, 1e999, 'ten']) {
      const report = claude.read(`${JSON.stringify({type: 'result', is_error: false, result: '{}', total_cost_usd: cost, usage: {input_tokens: -3, output_tokens: 7}})}\n`, 0)
      expect(report.costUsd).toBeNull()
      expect(report.tokens).toEqual({input: 0, output: 7})
    }
  })

  it('a torn last line is tolerated and ended before the next entry; lines that do not check are reported, never obeyed', async () => {
    const file = join(tempDir(), 'ledger.ndjson')
    writeFileSync(file, line({event: 'start', packet: P1, attempt: 1, pid: 4242, at}) + line({event: 'start', packet: '../../etc', attempt: 1, pid: 1, at}) + '{"event":"end","packet":"p0')
    const {ledger, history} = await RunLedger.open(file)
    expect(history.entries).toHaveLength(1)
    expect(history.invalid).toEqual([expect.objectContaining({line: 2, reason: expect.stringMatching(/^packet: must be a packet id/)})])
    expect(history.torn).toEqual([3])
    await ledger.append({event: 'end', packet: P1, attempt: 1, pid: 4242, at, class: 'ok', staged: 'x.json'})
    const again = await readLedger(file)
    expect(again.entries.map((e) => e.event)).toEqual(['start', 'end'])
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true)
  })

  it('summarize: next attempt numbers, attempted packets, and starts with no end (left running)', () => {
    const s = summarize([
      {event: 'start', packet: P1, attempt: 1, pid: 10, at},
      {event: 'end', packet: P1, attempt: 1, pid: 10, at, class: 'crash'},
      {event: 'start', packet: P1, attempt: 2, pid: 11, at},
      {event: 'start', packet: P2, attempt: 1, pid: 12, at},
      {event: 'interrupted', packet: P2, attempt: 1, pid: 12, at},
    ])
    expect(Object.fromEntries(s.lastAttempt)).toEqual({[P1]: 2, [P2]: 1})
    expect([...s.attempted].sort()).toEqual([P1, P2])
    expect(s.unfinished.map((e) => [e.packet, e.attempt])).toEqual([[P1, 2]])
  })

  it('status reads it through the same schema: a planted line is reported and not counted', async () => {
    const dir = writeCourse(tempDir(), generateCourse({seeds: 4, seed: 71, canon: {fill: 0}}))
    const {result} = await runPrepare({course: dir, cwd: dir, packetSize: 2})
    const packet = JSON.parse(readFileSync(join(result.dir, 'plan.json'), 'utf8')).packets[0].id
    writeFileSync(
      join(result.dir, 'ledger.ndjson'),
      line({event: 'end', packet, attempt: 1, pid: 5, at, class: 'ok', staged: 'a.json'}) + line({event: 'end', packet: 'p111111111111111', attempt: 'x', class: 'ok'}) + '{"torn',
    )
    const status = await runStatus({course: dir, cwd: dir})
    expect(status.result.runs).toEqual([expect.objectContaining({run: result.run, attempts: 1, ok: 1})])
    expect(status.warnings).toContainEqual(expect.stringMatching(/ledger\.ndjson line 2 is not a ledger entry wicker wrote \(attempt: /))
  })
})
