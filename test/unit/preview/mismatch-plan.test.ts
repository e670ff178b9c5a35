import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {phrasesHash} from '../../../src/core/extract/candidate.js'
import {runMerge} from '../../../src/core/merge/run.js'
import {planDigest, type PlanFile as Plan} from '../../../src/core/preview/plan.js'
import {runPreview} from '../../../src/core/preview/run.js'
import {canonBytes} from '../../helpers/flow.js'
import {previewCourse, RENUMBERED, STAGING} from '../../helpers/preview-course.js'

const at = (dir: string) => ({course: dir, cwd: dir})

describe('a mismatch in a plan file', () => {
  it('a plan edited to write the renumbered basket, and re-hashed, is refused: merge recomputes it', async () => {
    const dir = previewCourse()
    const out = join(dir, '..', 'plan.json')
    await runPreview({...at(dir), out, policy: {onConflict: 'take-staging'}})
    const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan
    expect(plan.items.find((i) => i.id === 'S0001L02')).toMatchObject({class: 'mismatch', action: 'skip'})
    // the forger adds the op, calls the item applied, and gives the plan the id its content hashes to
    plan.ops.push({op: 'add', id: 'S0001L02', hash: phrasesHash(RENUMBERED), replaces: null, sources: [`${STAGING}/renumbered.json`]})
    plan.items = plan.items.map((i) => (i.id === 'S0001L02' ? {...i, action: 'apply'} : i))
    const {planId, createdAt, ...body} = plan
    void planId
    void createdAt
    plan.planId = planDigest(body)
    writeFileSync(out, JSON.stringify(plan))
    const before = canonBytes(dir)
    await expect(runMerge({...at(dir), plan: out})).rejects.toMatchObject({code: 'E_PLAN_MISMATCH', exitCode: 2})
    expect(canonBytes(dir)).toEqual(before)
  })

  it('the same plan made with a per-id resolution writes it, exactly as planned', async () => {
    const dir = previewCourse()
    const out = join(dir, '..', 'plan.json')
    const {result} = await runPreview({...at(dir), out, policy: {onConflict: 'take-staging', resolutions: {S0001L02: 'renumbered.json'}}})
    expect(result.items.find((i) => i.id === 'S0001L02')).toMatchObject({class: 'mismatch', action: 'apply'})
    const merged = (await runMerge({...at(dir), plan: out})).result
    expect(merged.planId).toBe(result.planId)
    expect(merged.added.sort()).toEqual(['S0001L02', 'S0001L04'])
    expect(JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8')).baskets.S0001L02.practice_phrases).toEqual(RENUMBERED)
  })
})
