import {mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runMerge} from '../../../src/core/merge/run.js'
import {planDigest, type PlanFile as Plan} from '../../../src/core/preview/plan.js'
import {runPreview} from '../../../src/core/preview/run.js'
import {phrasesHash} from '../../../src/core/extract/candidate.js'
import {snapshotTree, tempDir, writeTree} from '../../helpers/fs.js'
import {canonBytes, flowCourse} from '../../helpers/flow.js'

/**
 * A plan is a file anyone can write (it may come with a cloned course, or from a reviewer's
 * machine). Whatever it says, merge writes only what staging and canon give, and never reads or
 * moves a file outside the course's staging folders.
 */
const at = (dir: string) => ({course: dir, cwd: dir})

/** A course, its plan, and a folder next to it with a file a forged plan aims at. */
async function planned() {
  const f = flowCourse()
  const out = join(f.dir, 'plan.json')
  await runPreview({...at(f.dir), out})
  const outside = join(dirname(f.dir), `outside-${Math.random().toString(36).slice(2)}`)
  mkdirSync(outside)
  const victim = join(outside, 'victim.json')
  // a valid basket file, so nothing but its place keeps a merge from taking it
  writeFileSync(victim, readFileSync(join(f.dir, 'phase5_baskets_staging', readdirSync(join(f.dir, 'phase5_baskets_staging'))[0]!)))
  const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan
  return {f, out, outside, victim, plan}
}

/** What a forger does: edit the plan, then give it the id its new content hashes to. */
function forge(out: string, plan: Plan, edit: (p: Plan) => void): void {
  edit(plan)
  const {planId, createdAt, ...body} = plan
  void planId
  void createdAt
  plan.planId = planDigest(body)
  writeFileSync(out, JSON.stringify(plan))
}

describe('merge --plan with a plan that was forged or edited', () => {
  it('refuses a plan that would move a file from outside the course into .applied/, and touches neither', async () => {
    const {f, out, outside, victim, plan} = await planned()
    const rel = relative(f.dir, victim)
    const cases: Array<[string, (p: Plan) => void]> = [
      ['a relative path out', (p) => p.consume.push({file: rel, stagingDir: 'phase5_baskets_staging'})],
      ['an absolute path', (p) => p.consume.push({file: victim, stagingDir: 'phase5_baskets_staging'})],
      ['a staging folder of its own', (p) => p.consume.push({file: rel, stagingDir: relative(f.dir, outside)})],
      ['a staging folder given as ..', (p) => p.consume.push({file: `phase5_baskets_staging/../${rel}`, stagingDir: 'phase5_baskets_staging/..'})],
      ['a hashed file outside', (p) => p.staging.push({file: rel, sha256: '0'.repeat(64)})],
      ['an op sourced outside', (p) => p.ops[0]!.sources.push(rel)],
    ]
    const pristine = readFileSync(out, 'utf8')
    for (const [what, edit] of cases) {
      forge(out, JSON.parse(pristine) as Plan, edit)
      const inside = snapshotTree(f.dir)
      const there = snapshotTree(outside)
      await expect(runMerge({...at(f.dir), plan: out}), what).rejects.toMatchObject({code: 'E_PLAN_OUTSIDE_STAGING', exitCode: 2})
      expect(snapshotTree(outside), what).toEqual(there)
      expect(snapshotTree(f.dir), what).toEqual(inside)
    }
    void plan
  })

  it('refuses a plan whose phrases digest or an op\'s hash was edited, and canon keeps its bytes', async () => {
    const {f, out, plan} = await planned()
    const before = canonBytes(f.dir)
    const pristine = JSON.stringify(plan)
    const cases: Array<[string, (p: Plan) => void]> = [
      ['the phrases digest', (p) => void (p.phrases = phrasesHash([{known: 'glim', target: 'vorp'}]))],
      ['an op hash', (p) => void (p.ops[0]!.hash = phrasesHash([{known: 'glim', target: 'vorp'}]))],
    ]
    for (const [what, edit] of cases) {
      const edited = JSON.parse(pristine) as Plan
      edit(edited)
      writeFileSync(out, JSON.stringify(edited))
      await expect(runMerge({...at(f.dir), plan: out}), what).rejects.toMatchObject({code: 'E_PLAN_INVALID', exitCode: 2})
      expect(canonBytes(f.dir), what).toEqual(before)
    }
  })

  it('a version 2 plan, which carried its phrases, is refused with a clear message', async () => {
    const {f, out, plan} = await planned()
    const before = canonBytes(f.dir)
    const {phrases, ...old} = plan
    void phrases
    writeFileSync(out, JSON.stringify({...old, version: 2, ops: plan.ops.map((o) => ({...o, phrases: [{known: 'glim', target: 'vorp'}]}))}))
    await expect(runMerge({...at(f.dir), plan: out})).rejects.toMatchObject({code: 'E_PLAN_VERSION', exitCode: 2, message: expect.stringMatching(/version 2 plan, written by an older wicker; this one applies version 3 plans only/)})
    expect(canonBytes(f.dir)).toEqual(before)
  })

  it('refuses a re-hashed plan whose phrases are not what staging holds', async () => {
    const {f, out, plan} = await planned()
    const before = canonBytes(f.dir)
    const id = plan.ops[0]!.id
    const pristine = JSON.stringify(plan)
    forge(out, JSON.parse(pristine) as Plan, (p) => void (p.ops[0]!.hash = phrasesHash([{known: 'glim', target: 'zorblat'}])))
    await expect(runMerge({...at(f.dir), plan: out})).rejects.toMatchObject({code: 'E_PLAN_MISMATCH', exitCode: 2, message: expect.stringContaining(id)})
    expect(canonBytes(f.dir)).toEqual(before)
    // every op's normalised hash as staging gives it, but another exact text pinned
    forge(out, JSON.parse(pristine) as Plan, (p) => void (p.phrases = phrasesHash([{known: 'glim', target: 'zorblat'}])))
    await expect(runMerge({...at(f.dir), plan: out})).rejects.toMatchObject({code: 'E_PLAN_MISMATCH', exitCode: 2, message: expect.stringContaining('exact text of its phrases')})
    expect(canonBytes(f.dir)).toEqual(before)
  })

  it('refuses a plan whose seed sentence is given with a space more since: the normalised hashes agree, the exact text does not', async () => {
    const f = flowCourse()
    const final = f.baskets.find((b) => b.lego.isFinal)!
    writeTree(f.dir, {'phase5_baskets_staging/final.json': {basket_id: final.lego.id, practice_phrases: final.phrases.slice(0, -1)}})
    const out = join(f.dir, 'plan.json')
    const policy = {resolutions: {[final.lego.id]: 'final.json'}}
    const {result} = await runPreview({...at(f.dir), out, policy})
    expect(result.items.find((i) => i.id === final.lego.id)!.note).toContain('seed sentence appended')
    const pairsFile = join(f.dir, 'lego_pairs.json')
    const pairs = JSON.parse(readFileSync(pairsFile, 'utf8')) as {seeds: Array<{seed_id: string; seed_pair: {target: string}}>}
    const seed = pairs.seeds.find((s) => s.seed_id === final.lego.seedId)!
    expect(seed.seed_pair.target).toContain(' ')
    seed.seed_pair.target = seed.seed_pair.target.replace(' ', '  ')
    writeFileSync(pairsFile, JSON.stringify(pairs))
    const before = canonBytes(f.dir)
    await expect(runMerge({...at(f.dir), plan: out})).rejects.toMatchObject({code: 'E_PLAN_MISMATCH', exitCode: 2, message: expect.stringContaining('exact text of its phrases')})
    expect(canonBytes(f.dir)).toEqual(before)
  })

  it('refuses a re-hashed plan that writes a basket staging does not give, or consumes a file it does not use up', async () => {
    const {f, out, plan} = await planned()
    const pristine = JSON.stringify(plan)
    const before = snapshotTree(f.dir)
    const missing = f.course.legos.find((l) => l.isNew && !plan.ops.some((o) => o.id === l.id) && !f.baskets.some((b) => b.lego.id === l.id))
    const cases: Array<[string, (p: Plan) => void]> = [
      ['an op dropped', (p) => void p.ops.pop()],
      ['a consume entry dropped', (p) => void p.consume.pop()],
    ]
    if (missing) cases.push(['an invented op', (p) => void p.ops.push({op: 'add', id: missing.id, hash: phrasesHash([{known: 'glim', target: 'vorp'}]), replaces: null, sources: [p.staging[0]!.file]})])
    for (const [what, edit] of cases) {
      forge(out, JSON.parse(pristine) as Plan, edit)
      await expect(runMerge({...at(f.dir), plan: out}), what).rejects.toMatchObject({code: 'E_PLAN_MISMATCH', exitCode: 2})
      const now = snapshotTree(f.dir)
      delete now['plan.json']
      const was = {...before}
      delete was['plan.json']
      expect(now, what).toEqual(was)
    }
  })

  it('still applies an untouched plan, read with the settings it was made with', async () => {
    const {f, out} = await planned()
    const {result} = await runMerge({...at(f.dir), plan: out})
    expect(result.status).toBe('merged')
    expect(result.added.sort()).toEqual(f.baskets.map((b) => b.lego.id).sort())
  })
})

void tempDir
