import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE, wicker} from '../helpers/cli.js'
import {tempDir, writeTree} from '../helpers/fs.js'

/**
 * preview and merge through the built CLI on a hand-made course (invented words): an empty canon
 * basket filled by default, a renumbered basket (mismatch) that take-staging leaves alone and a
 * per-id resolution applies, and a top-level stray identical to its staged basket adopted.
 */
const STAGING = 'phase5_baskets_staging'
const P = (known: string, target: string) => ({known, target})

const LEGOS = [
  ['S0001L01', 'blen', 'vosh'],
  ['S0001L02', 'trum', 'kelo'],
  ['S0001L03', 'dari', 'pim'],
  ['S0001L04', 'zabu', 'fenu'],
  ['S0001L05', 'mork', 'tisa'],
  ['S0001L06', 'gule', 'rado'],
] as const

const FILL = [P('blen gosa', 'vosh rulo'), P('mi blen', 'ta vosh')]
// written for dari / pim before the ids were renumbered: now S0001L02 is trum / kelo
const RENUMBERED = [P('dari gosa', 'pim rulo'), P('mi dari', 'ta pim'), P('dari', 'pim')]
const STRAY = [P('dari sul', 'pim lodo'), P('ke dari', 'nu pim')]
const NEW = [P('zabu mi', 'fenu ta')]
const CANON_L05 = [P('mork', 'tisa')]
const STAGED_L05 = [P('mork nal', 'tisa bur')]

function course(): string {
  const dir = join(tempDir(), 'qtl_for_qkn')
  writeTree(dir, {
    'lego_pairs.json': {seeds: [{seed_id: 'S0001', seed_pair: {known: 'blen trum dari zabu mork gule', target: 'vosh kelo pim fenu tisa rado'}, legos: LEGOS.map(([id, known, target]) => ({id, type: 'A', new: true, lego: {known, target}}))}]},
    'lego_baskets.json': {
      baskets: {
        S0001L01: {lego: P('blen', 'vosh'), practice_phrases: [], is_final_lego: false, phrase_count: 0},
        S0001L05: {lego: P('mork', 'tisa'), practice_phrases: CANON_L05, is_final_lego: false, phrase_count: 1},
      },
      S0001L03: {lego: P('dari', 'pim'), practice_phrases: STRAY, is_final_lego: false, phrase_count: 2},
    },
    [`${STAGING}/fill.json`]: {S0001L01: {practice_phrases: FILL}},
    [`${STAGING}/renumbered.json`]: {S0001L02: {lego: P('dari', 'pim'), practice_phrases: RENUMBERED}},
    [`${STAGING}/stray.json`]: {S0001L03: {practice_phrases: STRAY.map((p) => [p.known, p.target])}},
    [`${STAGING}/new.json`]: {S0001L04: {practice_phrases: NEW}},
    [`${STAGING}/conflict.json`]: {S0001L05: {practice_phrases: STAGED_L05}},
  })
  return dir
}

const canonOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8'))
const staged = (dir: string) => readdirSync(join(dir, STAGING)).filter((f) => !f.startsWith('.')).sort()

describe('preview classes and merge, through the CLI', () => {
  it('fills an empty canon basket, adopts an identical stray, and never merges a renumbered basket by policy', () => {
    const dir = course()
    const plan = join(dir, '..', 'plan.json')
    const preview = wicker(['preview', dir, '--json', '--on-conflict', 'take-staging', '--out', plan, '--detailed-exitcode'])
    expect(preview.stderr).not.toMatch(STACK_TRACE)
    expect(preview.code).toBe(2)
    const r = preview.json.result
    expect(r.counts).toEqual({new: 1, fill: 1, identical: 1, update: 0, conflict: 1, stagingConflict: 0, mismatch: 1, overage: 0, orphan: 0, invalid: 0, repaired: 0, stray: 1})
    expect(Object.values(r.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(r.items.length)
    expect(r.blocked).toBe(0)
    expect(r.ops).toBe(4)
    const byId = (id: string) => r.items.filter((i: {id: string}) => i.id === id).map((i: {class: string; action: string}) => `${i.class}:${i.action}`)
    expect(byId('S0001L01')).toEqual(['fill:apply'])
    expect(byId('S0001L02')).toEqual(['mismatch:skip'])
    expect(byId('S0001L03')).toEqual(['identical:skip', 'stray:apply'])
    expect(byId('S0001L04')).toEqual(['new:apply'])
    expect(byId('S0001L05')).toEqual(['conflict:apply'])
    // the human view names the class and how to apply it
    const shown = wicker(['preview', dir, '--on-conflict', 'take-staging'])
    expect(shown.code).toBe(0)
    expect(shown.stdout).toMatch(/skip\s+S0001L02\s+mismatch — .*--resolutions \{"S0001L02": "staging"\}/)

    const merged = wicker(['merge', dir, '--plan', plan, '--json'])
    expect(merged.stderr).not.toMatch(STACK_TRACE)
    expect(merged.code).toBe(0)
    expect(merged.json.result).toMatchObject({status: 'merged', added: ['S0001L04'], adopted: ['S0001L03']})
    expect(merged.json.result.updated.sort()).toEqual(['S0001L01', 'S0001L05'])
    const doc = canonOf(dir)
    expect(doc.baskets.S0001L01.practice_phrases).toEqual(FILL)
    expect(doc.baskets.S0001L02).toBeUndefined()
    expect(doc.baskets.S0001L03.practice_phrases).toEqual(STRAY)
    expect(doc.S0001L03).toBeUndefined()
    expect(doc.baskets.S0001L05.practice_phrases).toEqual(STAGED_L05)
    // the renumbered basket's file stays in staging; the rest are in canon and moved to .applied/
    expect(staged(dir)).toEqual(['renumbered.json'])

    // take-staging again: still not merged
    const again = wicker(['merge', dir, '--yes', '--on-conflict', 'take-staging', '--json'])
    expect(again.code).toBe(0)
    expect(again.json.result.status).toBe('nothing-to-do')
    expect(canonOf(dir).baskets.S0001L02).toBeUndefined()

    // only an explicit per-id resolution merges it, under lego_pairs' LEGO text
    const choices = join(dir, '..', 'choices.json')
    writeFileSync(choices, JSON.stringify({S0001L02: 'staging'}))
    const resolved = wicker(['merge', dir, '--yes', '--resolutions', choices, '--json'])
    expect(resolved.stderr).not.toMatch(STACK_TRACE)
    expect(resolved.code).toBe(0)
    expect(resolved.json.result.added).toEqual(['S0001L02'])
    expect(canonOf(dir).baskets.S0001L02).toEqual({lego: P('trum', 'kelo'), practice_phrases: RENUMBERED, is_final_lego: false, phrase_count: 3})
    expect(staged(dir)).toEqual([])
    expect(existsSync(join(dir, STAGING, '.applied', resolved.json.result.tx, 'renumbered.json'))).toBe(true)
  })
})
