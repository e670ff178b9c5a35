import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {snapshotTree, tempDir, writeTree} from '../helpers/fs.js'

/**
 * A hand-made course as real ones come: labelled LEGOs whose only arrays are components, a seed
 * whose `legos` hold basket payloads, an empty seed, and a folder name with a suffix.
 */
const legoPairs = {
  course: 'qtl_for_qkn',
  seeds: [
    {seed_id: 'S0001', seed_pair: {known: 'mip dax', target: 'vé qó'}, legos: [
      {id: 'S0001L01', type: 'M', new: true, lego: {known: 'mip dax', target: 'vé qó'}, components: [['mip', 'vé'], ['dax', 'qó']]},
    ]},
    {seed_id: 'S0002', seed_pair: {known: 'zor kel', target: 'wib tum'}, legos: [
      {id: 'S0002L01', type: 'M', new: true, lego: {known: 'zor kel', target: 'wib tum'}, components: [['zor', 'wib'], ['kel', 'tum']]},
    ]},
    {seed_id: 'S0003', legos: [
      {lego_id: 'S0003L01', lego: {known: 'fen', target: 'rog'}, practice_phrases: [{known: 'fen', target: 'rog'}, {known: 'fen mip', target: 'rog vé'}]},
      {id: 'S0003L02', lego: {known: 'lup', target: 'sar'}, practice_phrases: [['lup', 'sar']]},
    ]},
    {seed_id: 'S0004', seed_pair: {known: 'nor', target: 'pim'}, legos: []},
  ],
}

function course(extra: Record<string, unknown> = {}) {
  return writeTree(`${tempDir()}/qtl_for_qkn_test`, {'lego_pairs.json': legoPairs, ...extra})
}

describe('detect and extract on a course whose lego_pairs.json is as real ones are', () => {
  it('detect reports the orientation evidence, the broken and the empty seeds, and counts only real LEGOs', async () => {
    const dir = course()
    const run = await wickerIn(['detect', dir, '--json'])
    expect(run.code).toBe(0)
    const r = run.json.result
    expect(r.counts).toMatchObject({legos: 2, needed: 2, missing: 2})
    expect(r.legoPairs).toEqual({
      shape: 'LP-A',
      orientation: {arrays: true, order: 'known-target', method: 'same-file', evidence: 'labelled text in lego_pairs.json: 4 of 4 components read as [known, target]', votes: {agree: 4, of: 4}},
      brokenSeeds: [{seed: 'S0003', items: 2, message: expect.stringContaining('2 of 2 item(s) in $.seeds[2].legos are basket payloads')}],
      emptySeeds: ['S0004'],
      basketPayloads: 2,
    })
    const human = await wickerIn(['detect', dir])
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('Array pairs (LP-A) read as [known, target]: labelled text in lego_pairs.json: 4 of 4 components read as [known, target].')
    expect(human.stdout).toContain('Broken seeds (basket payloads, not LEGOs; left out): S0003 (2 items)')
    expect(human.stdout).toContain('Empty seeds (legos: []): S0004')
  })

  it('refuses an --orientation that contradicts the evidence, with exit 2 and no stack trace', async () => {
    const run = await wickerIn(['detect', course(), '--orientation', 'target-known', '--json'])
    expect(run.code).toBe(2)
    expect(run.json.name).toBe('E_ORIENTATION_CONFLICT')
    expect(run.json.message).toContain('4 of 4 components read as [known, target]')
    const human = await wickerIn(['detect', course(), '--orientation', 'target-known'])
    expect(human.code).toBe(2)
    expect(human.stderr).not.toMatch(STACK_TRACE)
  })

  it('extract --from-lego-pairs offers the payloads as candidates; without it, they are not read', async () => {
    const dir = course({'phase5_baskets_staging/agent1.json': {S0001L01: {lego: {known: 'mip dax', target: 'vé qó'}, practice_phrases: [{known: 'mip dax', target: 'vé qó'}]}}})
    const before = snapshotTree(dir)
    const plain = await wickerIn(['extract', dir, '--json'])
    expect(plain.code).toBe(0)
    expect(plain.json.result).toMatchObject({candidates: 1, fromLegoPairs: null})
    const run = await wickerIn(['extract', dir, '--from-lego-pairs', '--json'])
    expect(run.code).toBe(0)
    expect(run.json.result).toMatchObject({candidates: 3, fromLegoPairs: 2})
    const human = await wickerIn(['extract', dir, '--from-lego-pairs'])
    expect(human.stdout).toContain('2 candidate basket(s) from basket payloads in lego_pairs.json (--from-lego-pairs).')
    // lego_pairs.json and staging are only read
    const after = snapshotTree(dir)
    for (const [file, bytes] of Object.entries(before)) expect(after[file], file).toBe(bytes)
  })

  it('loads a compact same-script course from its labelled canon without a flag, and names the arrays when nothing decides', async () => {
    const compact = {seeds: [['S0001', ['vé qó', 'mip dax'], [['S0001L01', 'A', 'vé', 'mip'], ['S0001L02', 'A', 'qó', 'dax']]]]}
    const canon = {baskets: {S0001L01: {lego: {known: 'mip', target: 'vé'}, practice_phrases: [{known: 'mip', target: 'vé'}]}, S0001L02: {lego: {known: 'dax', target: 'qó'}, practice_phrases: [{known: 'dax', target: 'qó'}]}}}
    const withCanon = writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': compact, 'lego_baskets.json': canon})
    const run = await wickerIn(['detect', withCanon, '--json'])
    expect(run.code).toBe(0)
    expect(run.json.result.legoPairs.orientation).toMatchObject({order: 'target-known', method: 'canon', votes: {agree: 2, of: 2}})
    expect(run.json.result.counts).toMatchObject({needed: 2, present: 2, missing: 0})

    const bare = writeTree(`${tempDir()}/qtl_for_qkn`, {'lego_pairs.json': compact})
    const refused = await wickerIn(['detect', bare, '--json'])
    expect(refused.code).toBe(2)
    expect(refused.json.name).toBe('E_ORIENTATION')
    expect(refused.json.message).toContain('lego_pairs.json')
    expect(refused.json.message).toContain('$.seeds[0][1] ["vé qó","mip dax"]')
  })
})
