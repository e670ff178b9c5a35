import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {wickerIn} from '../helpers/cli-in.js'
import {synthCourse} from '../helpers/course.js'

/**
 * A launch slot is given back early only by an attempt found ok (its output is then staged while
 * the next agent starts). A failed attempt keeps its slot until its failure is decided: with one
 * slot, and --halt deciding once 4 packets finished (policy.ts), the fourth failure halts the
 * launch before a fifth agent starts. The agents really fail: the built-in agent crashes (exit 1)
 * on every attempt.
 */
describe('launch: a failed attempt keeps its slot until its failure is decided', () => {
  it('with --concurrency 1 and --halt 1%, the fourth crash stops the launch before a fifth agent starts', async () => {
    const {dir} = synthCourse({seeds: 8, seed: 44, canon: {fill: 0}})
    const prep = await wickerIn(['prepare-segments', dir, '--packet-size', '2', '--json'])
    expect(prep.code, prep.stdout).toBe(0)
    const run = prep.json.result.run as string
    expect(prep.json.result.totals.packets).toBeGreaterThan(4)
    const launch = await wickerIn(['launch', dir, '--stagger', '0s', '--grace', '300ms', '--retries', '0', '--concurrency', '1', '--halt', '1%', '--json'], {env: {WICKER_BUILTIN_FAIL: 'crash'}})
    expect(launch.code, launch.stdout).toBe(1)
    const starts = readFileSync(join(dir, '.wicker', 'runs', run, 'ledger.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as {type?: string; event?: string})
      .filter((e) => (e.type ?? e.event) === 'start')
    expect(starts).toHaveLength(4)
    expect(launch.json.result.packets.failed).toBe(4)
    // nothing was staged: every attempt crashed
    expect(existsSync(join(dir, 'phase5_baskets_staging')) ? readdirSync(join(dir, 'phase5_baskets_staging')) : []).toEqual([])
  })
})
