import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {planDigest, type Plan} from '../../src/core/preview/plan.js'
import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {tempDir, writeTree} from '../helpers/fs.js'

/**
 * Basket payloads in lego_pairs.json (`--from-lego-pairs`) through preview and merge: they reach
 * canon, staging wins where it holds the same id, and lego_pairs.json itself is only ever read.
 * Seed S0002 holds its two LEGOs and, next to them, a basket payload for each (no "new" flag).
 */
const STAGING = 'phase5_baskets_staging'
const payloadPhrases = [{known: 'zor', target: 'wib'}, {known: 'zor zor', target: 'wib wib'}]
const legoPairs = {
  seeds: [
    {seed_id: 'S0001', seed_pair: {known: 'mip', target: 'vé'}, legos: [{id: 'S0001L01', type: 'A', new: true, lego: {known: 'mip', target: 'vé'}}]},
    {seed_id: 'S0002', seed_pair: {known: 'zor kel', target: 'wib tum'}, legos: [
      {id: 'S0002L01', type: 'A', new: true, lego: {known: 'zor', target: 'wib'}},
      {id: 'S0002L02', type: 'A', new: true, lego: {known: 'kel', target: 'tum'}},
      {lego_id: 'S0002L01', lego: {known: 'zor', target: 'wib'}, practice_phrases: payloadPhrases},
      {lego_id: 'S0002L02', lego: {known: 'kel', target: 'tum'}, practice_phrases: [{known: 'kel', target: 'tum'}]},
    ]},
  ],
}
// staging's S0002L02 differs from the payload's: staging wins
const stagedKel = [{known: 'kel', target: 'tum'}, {known: 'zor kel', target: 'wib tum'}]

function course() {
  return writeTree(`${tempDir()}/qtl_for_qkn`, {
    'lego_pairs.json': legoPairs,
    [`${STAGING}/agent1.json`]: {S0001L01: {lego: {known: 'mip', target: 'vé'}, practice_phrases: [{known: 'mip', target: 'vé'}]}},
    [`${STAGING}/agent2.json`]: {S0002L02: {lego: {known: 'kel', target: 'tum'}, practice_phrases: stagedKel}},
  })
}

const canonOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8')).baskets
const phrasesOf = (basket: {practice_phrases: Array<{known: string; target: string}>}) => basket.practice_phrases.map((p) => ({known: p.known, target: p.target}))

/** lego_pairs.json byte for byte, and no copy of it anywhere wicker moves or keeps staging files */
function expectLegoPairsUntouched(dir: string, bytes: Buffer, tx: string) {
  expect(readFileSync(join(dir, 'lego_pairs.json')).equals(bytes)).toBe(true)
  expect(existsSync(join(dir, STAGING, '.applied', tx, 'lego_pairs.json'))).toBe(false)
  expect(existsSync(join(dir, '.applied'))).toBe(false)
}

describe('basket payloads in lego_pairs.json through preview and merge (--from-lego-pairs)', () => {
  it('merge --from-lego-pairs adds the payload basket to canon, staging wins its id, lego_pairs.json stays byte-identical and staging is consumed', async () => {
    const dir = course()
    const bytes = readFileSync(join(dir, 'lego_pairs.json'))
    // an extraction cached without the flag is not the one preview --from-lego-pairs needs
    expect((await wickerIn(['extract', dir, '--json'])).code).toBe(0)
    const preview = await wickerIn(['preview', dir, '--from-lego-pairs', '--json'])
    expect(preview.code).toBe(0)
    const items = Object.fromEntries(preview.json.result.items.map((i: {id: string}) => [i.id, i]))
    expect(items.S0002L01).toMatchObject({class: 'new', action: 'apply', sources: ['lego_pairs.json']})
    expect(items.S0002L02).toMatchObject({class: 'new', action: 'apply', sources: [`${STAGING}/agent2.json`]})

    const merged = await wickerIn(['merge', dir, '--from-lego-pairs', '--yes', '--json'])
    expect(merged.code).toBe(0)
    const r = merged.json.result
    expect(r.status).toBe('merged')
    expect([...r.added].sort()).toEqual(['S0001L01', 'S0002L01', 'S0002L02'])
    expect([...r.consumed].sort()).toEqual([`${STAGING}/.applied/${r.tx}/agent1.json`, `${STAGING}/.applied/${r.tx}/agent2.json`])
    const canon = canonOf(dir)
    expect(phrasesOf(canon.S0002L01)).toEqual(payloadPhrases)
    // staging's version, with the seed sentence it already ends on
    expect(phrasesOf(canon.S0002L02)).toEqual(stagedKel)
    expectLegoPairsUntouched(dir, bytes, r.tx)
    expect(existsSync(join(dir, STAGING, '.applied', r.tx, 'agent1.json'))).toBe(true)
    expect(existsSync(join(dir, STAGING, '.applied', r.tx, 'agent2.json'))).toBe(true)

    // the journal moved staging files only
    const journal = readFileSync(join(dir, '.wicker', 'journal.ndjson'), 'utf8')
    expect(journal).toContain('agent1.json')
    expect(journal).not.toContain('lego_pairs.json')

    // done: a second merge finds nothing to do, and lego_pairs.json is still as it was
    const again = await wickerIn(['merge', dir, '--from-lego-pairs', '--yes', '--json'])
    expect(again.code).toBe(0)
    expect(again.json.result.status).toBe('nothing-to-do')
    expect(readFileSync(join(dir, 'lego_pairs.json')).equals(bytes)).toBe(true)
  })

  it('merge --plan applies a plan made with --from-lego-pairs (without the flag again), and refuses it as stale when lego_pairs.json changed', async () => {
    const dir = course()
    const bytes = readFileSync(join(dir, 'lego_pairs.json'))
    const planFile = join(dir, 'plan.json')
    expect((await wickerIn(['preview', dir, '--from-lego-pairs', '--out', planFile, '--json'])).code).toBe(0)
    const plan = JSON.parse(readFileSync(planFile, 'utf8'))
    expect(plan.extract.legoPairs).toEqual({file: 'lego_pairs.json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/)})
    expect(plan.staging.map((s: {file: string}) => s.file)).not.toContain('lego_pairs.json')
    expect(plan.consume.map((c: {file: string}) => c.file)).not.toContain('lego_pairs.json')

    // lego_pairs.json edited after the plan was made (same LEGOs, another payload phrase): stale
    const stale = course()
    const stalePlan = join(stale, 'plan.json')
    expect((await wickerIn(['preview', stale, '--from-lego-pairs', '--out', stalePlan])).code).toBe(0)
    const edited = JSON.parse(JSON.stringify(legoPairs))
    edited.seeds[1].legos[2].practice_phrases[1] = {known: 'zor mip', target: 'wib vé'}
    writeFileSync(join(stale, 'lego_pairs.json'), `${JSON.stringify(edited, null, 2)}\n`)
    const refused = await wickerIn(['merge', stale, '--plan', stalePlan, '--json'])
    expect(refused.code).toBe(3)
    expect(refused.json.name).toBe('E_STALE_PLAN')
    expect(refused.json.message).toContain('lego_pairs.json')
    expect(existsSync(join(stale, 'lego_baskets.json'))).toBe(false)

    const merged = await wickerIn(['merge', dir, '--plan', planFile, '--json'])
    expect(merged.code).toBe(0)
    expect(merged.json.result.status).toBe('merged')
    expect([...merged.json.result.added].sort()).toEqual(['S0001L01', 'S0002L01', 'S0002L02'])
    expect(phrasesOf(canonOf(dir).S0002L01)).toEqual(payloadPhrases)
    expectLegoPairsUntouched(dir, bytes, merged.json.result.tx)
    const twice = await wickerIn(['merge', dir, '--plan', planFile, '--json'])
    expect(twice.json.result.status).toBe('already-applied')
  })

  it('without the flag the payloads are not read: not in preview, not merged, even after `extract --from-lego-pairs` cached them', async () => {
    const dir = course()
    // one payload candidate: staging holds another S0002L02
    expect((await wickerIn(['extract', dir, '--from-lego-pairs', '--json'])).json.result.fromLegoPairs).toBe(1)
    const preview = await wickerIn(['preview', dir, '--json'])
    expect(preview.code).toBe(0)
    expect(preview.json.result.items.map((i: {id: string}) => i.id).sort()).toEqual(['S0001L01', 'S0002L02'])
    const merged = await wickerIn(['merge', dir, '--yes', '--json'])
    expect(merged.code).toBe(0)
    expect([...merged.json.result.added].sort()).toEqual(['S0001L01', 'S0002L02'])
    expect(canonOf(dir).S0002L01).toBeUndefined()
  })

  it('refuses a forged plan that would consume or hash lego_pairs.json as a staging file, or name another file as it (exit 2, nothing moved)', async () => {
    const dir = course()
    const bytes = readFileSync(join(dir, 'lego_pairs.json'))
    const planFile = join(dir, 'plan.json')
    expect((await wickerIn(['preview', dir, '--from-lego-pairs', '--out', planFile])).code).toBe(0)
    const pristine = readFileSync(planFile, 'utf8')
    const sha = JSON.parse(pristine).extract.legoPairs.sha256
    writeFileSync(join(dir, '..', 'outside.json'), JSON.stringify({S0002L01: {practice_phrases: [['zor', 'wib']]}}))
    const cases: Array<[string, (p: Plan) => void]> = [
      ['lego_pairs.json consumed from the course root', (p) => p.consume.push({file: 'lego_pairs.json', stagingDir: '.'})],
      ['lego_pairs.json consumed as if in staging', (p) => p.consume.push({file: 'lego_pairs.json', stagingDir: STAGING})],
      ['lego_pairs.json hashed as a staging file', (p) => p.staging.push({file: 'lego_pairs.json', sha256: sha})],
      ['another file named as the lego_pairs source', (p) => {
        p.extract.legoPairs = {file: '../outside.json', sha256: sha}
        p.ops.find((o) => o.id === 'S0002L01')!.sources = ['../outside.json']
        p.items.find((i) => i.id === 'S0002L01')!.sources = ['../outside.json']
      }],
    ]
    for (const [what, edit] of cases) {
      // what a forger does: edit the plan, then give it the id its new content hashes to
      const plan = JSON.parse(pristine) as Plan
      edit(plan)
      const {planId, createdAt, ...body} = plan
      void planId
      void createdAt
      writeFileSync(planFile, JSON.stringify({...plan, planId: planDigest(body)}))
      const run = await wickerIn(['merge', dir, '--plan', planFile, '--json'])
      expect(run.code, what).toBe(2)
      expect(run.json.name, what).toBe('E_PLAN_OUTSIDE_STAGING')
      expect(run.stderr, what).not.toMatch(STACK_TRACE)
      expect(readFileSync(join(dir, 'lego_pairs.json')).equals(bytes), what).toBe(true)
      expect(existsSync(join(dir, 'lego_baskets.json')), what).toBe(false)
    }
  })
})
