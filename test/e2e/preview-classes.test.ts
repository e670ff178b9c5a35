import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {STACK_TRACE} from '../helpers/cli.js'
import {wickerIn} from '../helpers/cli-in.js'
import {FILL, P, previewCourse, RENUMBERED, STAGED_L05, STAGING, STRAY} from '../helpers/preview-course.js'

/**
 * preview and merge through the built CLI on a hand-made course (invented words): an empty canon
 * basket filled by default, a renumbered basket (mismatch) that take-staging leaves alone and a
 * per-id resolution applies, and a top-level stray identical to its staged basket adopted.
 */
const canonOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8'))
const staged = (dir: string) => readdirSync(join(dir, STAGING)).filter((f) => !f.startsWith('.')).sort()

describe('preview classes and merge, through the CLI', () => {
  it('fills an empty canon basket, adopts an identical stray, and never merges a renumbered basket by policy', async () => {
    const dir = previewCourse()
    const plan = join(dir, '..', 'plan.json')
    const preview = await wickerIn(['preview', dir, '--json', '--on-conflict', 'take-staging', '--out', plan, '--detailed-exitcode'])
    expect(preview.stderr).not.toMatch(STACK_TRACE)
    expect(preview.code).toBe(6)
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
    const shown = await wickerIn(['preview', dir, '--on-conflict', 'take-staging'])
    expect(shown.code).toBe(0)
    expect(shown.stdout).toMatch(/skip\s+S0001L02\s+mismatch — .*--resolutions \{"S0001L02": "staging"\}/)

    const merged = await wickerIn(['merge', dir, '--plan', plan, '--json'])
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
    const again = await wickerIn(['merge', dir, '--yes', '--on-conflict', 'take-staging', '--json'])
    expect(again.code).toBe(0)
    expect(again.json.result.status).toBe('nothing-to-do')
    expect(canonOf(dir).baskets.S0001L02).toBeUndefined()

    // only an explicit per-id resolution merges it, under lego_pairs' LEGO text
    const choices = join(dir, '..', 'choices.json')
    writeFileSync(choices, JSON.stringify({S0001L02: 'staging'}))
    const resolved = await wickerIn(['merge', dir, '--yes', '--resolutions', choices, '--json'])
    expect(resolved.stderr).not.toMatch(STACK_TRACE)
    expect(resolved.code).toBe(0)
    expect(resolved.json.result.added).toEqual(['S0001L02'])
    expect(canonOf(dir).baskets.S0001L02).toEqual({lego: P('trum', 'kelo'), practice_phrases: RENUMBERED, is_final_lego: false, phrase_count: 3})
    expect(staged(dir)).toEqual([])
    expect(existsSync(join(dir, STAGING, '.applied', resolved.json.result.tx, 'renumbered.json'))).toBe(true)
  })
})
