import {cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {generateCourse} from '../../bench/synth/generate.js'
import {missingBaskets, stagingFiles} from '../../bench/synth/staging.js'
import {writeCourse} from '../../bench/synth/write.js'
import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir} from '../helpers/fs.js'

/**
 * preview reads a canon another tool wrote (no canon index vouches for its layout) by one scan of its
 * bytes (canon/usable-scan.ts), where merge reads the same canon strictly in full. merge recomputes the plan
 * from its own read and refuses a plan whose id differs (E_PLAN_MISMATCH): so a reviewed plan that
 * merges proves the two reads agree, basket by basket, on a canon with every kind of dirt.
 */
describe('preview of a canon another tool wrote', () => {
  it('makes the plan merge makes from its full read: the reviewed plan merges, with the canon `merge --yes` writes', async () => {
    const synth = generateCourse({seeds: 24, seed: 11, canon: {fill: 0.7, empty: 3, overage: 2, orphans: 3, strays: 2, pollution: 2, gateViolations: 4, swapped: 2, leakage: 2}})
    const dir = writeCourse(tempDir(), synth, {pretty: true})
    // staging for every new LEGO: those canon lacks (added), and those it has (identical, update or conflict)
    const staging = join(dir, 'phase5_baskets_staging')
    mkdirSync(staging)
    for (const f of stagingFiles(missingBaskets(synth.course, new Set(), 5), ['F1', 'F2', 'F4', 'F12'])) writeFileSync(join(staging, f.name), f.content)
    const twin = join(tempDir(), 'qtl_for_qkn')
    cpSync(dir, twin, {recursive: true})

    const plan = join(dir, '..', 'plan.json')
    const preview = await wickerIn(['preview', dir, '--json', '--on-conflict', 'take-staging', '--out', plan])
    expect(preview.stderr).not.toMatch(STACK_TRACE)
    expect(preview.code, preview.stderr).toBe(0)
    const counts = preview.json.result.counts as {new: number; update: number; conflict: number; identical: number; fill: number}
    // the plan touches baskets canon holds, not only new ones
    expect(counts.new).toBeGreaterThan(0)
    expect(counts.update + counts.conflict + counts.identical + counts.fill).toBeGreaterThan(0)

    const merged = await wickerIn(['merge', dir, '--plan', plan, '--json'])
    expect(merged.stderr).not.toMatch(STACK_TRACE)
    expect(merged.code, merged.stderr).toBe(0)
    expect(merged.json.result.status).toBe('merged')

    const direct = await wickerIn(['merge', twin, '--yes', '--on-conflict', 'take-staging', '--json'])
    expect(direct.code, direct.stderr).toBe(0)
    expect(direct.json.result.planId).toBe(merged.json.result.planId)
    // the same canon but for the metadata of the transaction that wrote it (its id and time)
    const withoutTx = (d: string) => {
      const {metadata, ...rest} = JSON.parse(readFileSync(join(d, 'lego_baskets.json'), 'utf8')) as {metadata: Record<string, unknown>}
      const {last_merge: _at, last_transaction: _tx, ...kept} = metadata
      return {...rest, metadata: kept}
    }
    expect(withoutTx(dir)).toEqual(withoutTx(twin))
  })
})
