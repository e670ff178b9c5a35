import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadCourse} from '../../../src/core/course/load.js'
import {readCanon} from '../../../src/core/canon/read.js'
import {sha256Hex} from '../../../src/core/hash.js'
import {canonBasketHash} from '../../../src/core/preview/plan.js'
import {runMerge} from '../../../src/core/merge/run.js'
import {runRestore} from '../../../src/core/merge/restore.js'
import {runPreview} from '../../../src/core/preview/run.js'
import {runStatus, runUnlock} from '../../../src/core/status/status.js'
import {deadPid, plantLock} from '../../helpers/lock.js'
import {validate} from '../../../src/core/validate/validate.js'
import {gateSettingsSchema, validateSettingsSchema} from '../../../src/core/schemas/config.js'
import {readJournal} from '../../../src/core/store/journal.js'
import {realDisk} from '../../../src/core/store/disk.js'
import {wickerPaths} from '../../../src/core/store/paths.js'
import {snapshotTree, writeTree} from '../../helpers/fs.js'
import {canonBytes, flowCourse} from '../../helpers/flow.js'

const at = (dir: string) => ({course: dir, cwd: dir})
const merge = (dir: string, extra: Parameters<typeof runMerge>[0] extends infer O ? Partial<O> : never = {}) => runMerge({...at(dir), yes: true, ...extra})
const canonJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8'))

describe('merge', () => {
  it('adds the missing baskets, in course order, with derived fields, and the course then validates', async () => {
    const f = flowCourse()
    const before = canonBytes(f.dir)!
    const {result} = await merge(f.dir)
    expect(result.status).toBe('merged')
    expect(result.added.sort()).toEqual(f.baskets.map((b) => b.lego.id).sort())
    expect(result.canon).toEqual({before: {sha256: sha256Hex(before), baskets: f.expected.present}, after: {sha256: sha256Hex(canonBytes(f.dir)!), baskets: f.expected.present + f.baskets.length}})
    const doc = canonJson(f.dir)
    const order = f.course.legos.map((l) => l.id).filter((id) => id in doc.baskets)
    expect(Object.keys(doc.baskets)).toEqual(order)
    const b = f.baskets[0]!
    expect(doc.baskets[b.lego.id]).toEqual({lego: {known: b.lego.known, target: b.lego.target}, practice_phrases: b.phrases, is_final_lego: b.lego.isFinal, phrase_count: b.phrases.length})
    expect(doc.metadata).toMatchObject({total_baskets: f.expected.present + f.baskets.length, last_transaction: result.tx})
    const course = await loadCourse(f.dir)
    const v = validate(course, await readCanon(course.files.canon), {gate: gateSettingsSchema.parse({}), validate: validateSettingsSchema.parse({})})
    expect(v.findings).toEqual([])
    // the backup holds canon as it was; the journal has begin, commit, done
    expect(readFileSync(join(f.dir, result.backup!))).toEqual(before)
    expect((await readJournal(realDisk, wickerPaths(f.dir))).map((r) => r.type)).toEqual(['begin', 'commit', 'done'])
  })

  it('moves consumed staging files to .applied/<tx>/ and never deletes one', async () => {
    const f = flowCourse()
    const {result} = await merge(f.dir)
    expect(readdirSync(join(f.dir, 'phase5_baskets_staging'))).toEqual(['.applied'])
    const moved = readdirSync(join(f.dir, 'phase5_baskets_staging', '.applied', result.tx!)).sort()
    expect(moved).toEqual(f.files.map((x) => x.name).sort())
    expect(result.consumed).toHaveLength(f.files.length)
    for (const file of f.files) expect(readFileSync(join(f.dir, 'phase5_baskets_staging', '.applied', result.tx!, file.name), 'utf8')).toBe(file.content)
  })

  it('keeps untouched baskets byte-identical and top-level fields as they were, and adds no upload field', async () => {
    const f = flowCourse({canon: {fill: 0.5, pollution: 2, strays: 1}})
    const before = canonJson(f.dir)
    await merge(f.dir)
    const after = canonJson(f.dir)
    for (const [id, basket] of Object.entries(before.baskets)) expect(after.baskets[id]).toEqual(basket)
    expect(after.seed).toBe(before.seed)
    expect(after.agentId).toBe(before.agentId)
    // the generated stray is identical to its staged basket: moved into "baskets" as it was, no top-level copy left
    const strayId = Object.keys(before).find((k) => /^S\d{4}L\d{2}$/.test(k))!
    expect(after[strayId]).toBeUndefined()
    expect(after.baskets[strayId]).toEqual(before[strayId])
    expect(Object.keys(after).filter((k) => !(k in before))).toEqual([])
  })

  it('appends the seed sentence to a final LEGO\'s basket that lacks it, unless told not to', async () => {
    const f = flowCourse()
    const final = f.baskets.find((b) => b.lego.isFinal)!
    const seed = f.course.seeds.find((s) => s.id === final.lego.seedId)!
    writeTree(f.dir, {'phase5_baskets_staging/final.json': {basket_id: final.lego.id, practice_phrases: final.phrases.slice(0, -1)}})
    // two versions of the final basket in staging: take the one without the sentence
    const policy = {resolutions: {[final.lego.id]: 'final.json'}}
    expect((await runPreview({...at(f.dir), policy})).result.items.find((i) => i.id === final.lego.id)!.note).toContain('seed sentence appended')
    await merge(f.dir, {policy})
    expect(canonJson(f.dir).baskets[final.lego.id].practice_phrases.at(-1)).toEqual({known: seed.known, target: seed.target})

    const g = flowCourse()
    const final2 = g.baskets.find((b) => b.lego.isFinal)!
    writeTree(g.dir, {'phase5_baskets_staging/final.json': {basket_id: final2.lego.id, practice_phrases: final2.phrases.slice(0, -1)}})
    await merge(g.dir, {policy: {seedSentence: false, resolutions: {[final2.lego.id]: 'final.json'}}})
    expect(canonJson(g.dir).baskets[final2.lego.id].practice_phrases).toHaveLength(final2.phrases.length - 1)
  })

  it('does nothing the second time', async () => {
    const f = flowCourse()
    await merge(f.dir)
    const bytes = canonBytes(f.dir)
    expect((await merge(f.dir)).result.status).toBe('nothing-to-do')
    expect(canonBytes(f.dir)).toEqual(bytes)
  })

  it('needs --yes or a confirmation, and --dry-run writes nothing', async () => {
    const f = flowCourse()
    const before = snapshotTree(f.dir)
    await expect(runMerge(at(f.dir))).rejects.toMatchObject({code: 'E_CONFIRM', exitCode: 2})
    expect((await runMerge({...at(f.dir), dryRun: true})).result.status).toBe('dry-run')
    expect((await runMerge({...at(f.dir), confirm: async () => false})).result.status).toBe('declined')
    const snapshot = snapshotTree(f.dir)
    for (const key of Object.keys(snapshot)) if (!key.startsWith('.wicker/')) expect(snapshot[key]).toBe(before[key])
    expect((await runMerge({...at(f.dir), confirm: async () => true})).result.status).toBe('merged')
  })
})

describe('conflicts and updates', () => {
  async function withEdit(f: ReturnType<typeof flowCourse>, edit: (id: string, hash: string) => unknown) {
    const canon = await readCanon(join(f.dir, 'lego_baskets.json'))
    const [id, basket] = [...canon.baskets.entries()].find(([i]) => f.course.legoById.get(i)?.isNew)!
    const lego = f.course.legoById.get(id)!
    const phrases = [{known: lego.known, target: lego.target}, ...basket.phrases.slice(1).map((p) => ({known: p!.known, target: `${p!.target}`}))].reverse()
    writeTree(f.dir, {'phase5_baskets_staging/regen.json': edit(id, canonBasketHash(basket)) ?? {[id]: {practice_phrases: phrases}}})
    return {id, phrases}
  }

  it('blocks on a basket that differs from canon with no base (exit 3), and writes nothing', async () => {
    const f = flowCourse()
    const {id} = await withEdit(f, () => undefined)
    const before = canonBytes(f.dir)
    const preview = (await runPreview(at(f.dir))).result
    expect(preview.items.find((i) => i.id === id)).toMatchObject({class: 'conflict', action: 'blocked'})
    expect(preview.diffs.map((d) => d.id)).toEqual([id])
    expect(preview.diffs[0]!.diff).toMatch(/^[-+]/m)
    await expect(merge(f.dir)).rejects.toMatchObject({code: 'E_CONFLICTS', exitCode: 3})
    expect(canonBytes(f.dir)).toEqual(before)
  })

  it('keep-canon skips it, take-staging replaces it, --resolutions decides per id', async () => {
    for (const [policy, replaced] of [[{onConflict: 'keep-canon'}, false], [{onConflict: 'take-staging'}, true], [{resolutions: {} as Record<string, string>}, true]] as const) {
      const f = flowCourse()
      const {id, phrases} = await withEdit(f, () => undefined)
      const p = 'resolutions' in policy ? {resolutions: {[id]: 'staging'}} : policy
      const before = canonJson(f.dir).baskets[id]
      const {result} = await merge(f.dir, {policy: p as never})
      expect(result.status).toBe('merged')
      expect(canonJson(f.dir).baskets[id].practice_phrases).toEqual(replaced ? phrases : before.practice_phrases)
      expect(result.updated).toEqual(replaced ? [id] : [])
    }
  })

  it('applies a regenerated basket as an update when its base is the canon basket it replaces', async () => {
    const f = flowCourse()
    const {id} = await withEdit(f, (lid, hash) => ({[lid]: {base_hash: hash, practice_phrases: [{known: f.course.legoById.get(lid)!.known, target: f.course.legoById.get(lid)!.target}]}}))
    expect((await runPreview(at(f.dir))).result.items.find((i) => i.id === id)!.class).toBe('update')
    const {result} = await merge(f.dir)
    expect(result.updated).toEqual([id])
  })

  it('treats a stale base as a conflict', async () => {
    const f = flowCourse()
    const {id} = await withEdit(f, (lid) => ({[lid]: {base_hash: 'f'.repeat(64), practice_phrases: [{known: f.course.legoById.get(lid)!.known, target: f.course.legoById.get(lid)!.target}]}}))
    const item = (await runPreview(at(f.dir))).result.items.find((i) => i.id === id)!
    expect(item).toMatchObject({class: 'conflict', action: 'blocked'})
    expect(item.note).toContain('canon changed since it was generated')
  })

  it('never applies overage, orphan, invalid or repaired baskets by default, and leaves their files in staging', async () => {
    const f = flowCourse({canon: {fill: 0.5}})
    const old = f.course.legos.find((l) => !l.isNew)!
    writeTree(f.dir, {
      'phase5_baskets_staging/overage.json': {[old.id]: {practice_phrases: [{known: old.known, target: old.target}]}},
      'phase5_baskets_staging/orphan.json': {S9999L01: {practice_phrases: [{known: 'x', target: 'y'}]}},
      'phase5_baskets_staging/invalid.json': {[f.baskets[0]!.lego.id]: {practice_phrases: []}},
      'phase5_baskets_staging/cut.json': JSON.stringify({[f.baskets[1]!.lego.id]: {practice_phrases: f.baskets[1]!.phrases}}).slice(0, -2),
    })
    const classes = Object.fromEntries((await runPreview({...at(f.dir), repair: true})).result.items.filter((i) => i.action !== 'apply').map((i) => [i.id, i.class]))
    const {result} = await merge(f.dir, {repair: true})
    expect(classes).toMatchObject({[old.id]: 'overage', S9999L01: 'orphan'})
    expect(result.added).not.toContain(old.id)
    const left = readdirSync(join(f.dir, 'phase5_baskets_staging')).filter((n) => !n.startsWith('.')).sort()
    expect(left).toEqual(['cut.json', 'invalid.json', 'orphan.json', 'overage.json'])
  })

  it('admits salvaged baskets only with --accept-repaired', async () => {
    const f = flowCourse()
    const b = f.baskets[0]!
    const full = JSON.stringify({[b.lego.id]: {practice_phrases: b.phrases}})
    writeTree(f.dir, {'salvage/cut.json': full.slice(0, -2)})
    const only = {staging: [join(f.dir, 'salvage')], repair: true}
    const preview = (await runPreview({...at(f.dir), ...only})).result
    expect(preview.counts.repaired).toBe(1)
    expect(preview.items).toEqual([expect.objectContaining({id: b.lego.id, class: 'repaired', action: 'skip'})])
    expect((await merge(f.dir, only)).result.status).toBe('nothing-to-do')
    const {result} = await merge(f.dir, {...only, policy: {acceptRepaired: true}})
    expect(result.added).toEqual([b.lego.id])
    // a salvaged file is never consumed: it stays in staging for review
    expect(readdirSync(join(f.dir, 'salvage'))).toEqual(['cut.json'])
  })

  it('moves strays into "baskets" with --adopt-strays', async () => {
    const f = flowCourse({canon: {fill: 0.5, strays: 2}})
    const strays = Object.keys(canonJson(f.dir)).filter((k) => /^S\d{4}L\d{2}$/.test(k))
    // an empty staging folder, so the stray ids are free
    mkdirSync(join(f.dir, 'empty'))
    const {result} = await runMerge({...at(f.dir), yes: true, staging: [join(f.dir, 'empty')], policy: {adoptStrays: true}})
    expect(result.adopted.sort()).toEqual(strays.sort())
    const doc = canonJson(f.dir)
    for (const id of strays) {
      expect(doc[id]).toBeUndefined()
      expect(doc.baskets[id]).toBeDefined()
    }
  })
})

describe('plans', () => {
  it('merge --plan applies exactly the plan; a second time reports "already applied"', async () => {
    const f = flowCourse()
    const out = join(f.dir, 'plan.json')
    const preview = (await runPreview({...at(f.dir), out})).result
    const {result} = await runMerge({...at(f.dir), plan: out})
    expect(result.status).toBe('merged')
    expect(result.planId).toBe(preview.planId)
    expect(result.added.sort()).toEqual(f.baskets.map((b) => b.lego.id).sort())
    const bytes = canonBytes(f.dir)
    const again = (await runMerge({...at(f.dir), plan: out})).result
    expect(again).toMatchObject({status: 'already-applied', tx: result.tx})
    expect(canonBytes(f.dir)).toEqual(bytes)
  })

  it('refuses a stale plan: canon changed, a staging file changed or went, or the lineage changed', async () => {
    const cases: Array<[string, (dir: string) => void]> = [
      ['canon changed', (dir) => writeFileSync(join(dir, 'lego_baskets.json'), readFileSync(join(dir, 'lego_baskets.json'), 'utf8').replace('"version"', '"version" ').replace('  "version" ', '  "version"') + ' ')],
      ['staging file changed', (dir) => writeFileSync(join(dir, 'phase5_baskets_staging', readdirSync(join(dir, 'phase5_baskets_staging'))[0]!), '{}')],
    ]
    for (const [what, change] of cases) {
      const f = flowCourse()
      const out = join(f.dir, 'plan.json')
      await runPreview({...at(f.dir), out})
      change(f.dir)
      const before = snapshotTree(f.dir)
      await expect(runMerge({...at(f.dir), plan: out}), what).rejects.toMatchObject({code: 'E_STALE_PLAN', exitCode: 3})
      expect(snapshotTree(f.dir)).toEqual(before)
    }
  })

  it('refuses an edited plan file', async () => {
    const f = flowCourse()
    const out = join(f.dir, 'plan.json')
    await runPreview({...at(f.dir), out})
    const plan = JSON.parse(readFileSync(out, 'utf8'))
    plan.ops[0].sources = [...plan.ops[0].sources, plan.ops[0].sources[0]]
    writeFileSync(out, JSON.stringify(plan))
    await expect(runMerge({...at(f.dir), plan: out})).rejects.toMatchObject({code: 'E_PLAN_INVALID'})
  })

  it('preview changes no file, and --detailed-exitcode numbers are computed from the plan', async () => {
    const f = flowCourse()
    const before = snapshotTree(f.dir)
    const {result} = await runPreview(at(f.dir))
    expect(snapshotTree(f.dir)).toEqual(before)
    expect(result.counts.new).toBe(f.baskets.length)
    expect(result.coverage.after).toBe(1)
    expect(result.coverage.before).toBeCloseTo(f.expected.present / f.expected.needed)
  })
})

describe('restore', () => {
  it('gives back canon byte for byte, and --restage puts the staging files back', async () => {
    const f = flowCourse()
    const before = canonBytes(f.dir)
    const stagingBefore = snapshotTree(join(f.dir, 'phase5_baskets_staging'))
    const {result: merged} = await merge(f.dir)
    const {result} = await runRestore({...at(f.dir), restage: true})
    expect(result.restored).toBe(merged.tx)
    expect(canonBytes(f.dir)).toEqual(before)
    const now = snapshotTree(join(f.dir, 'phase5_baskets_staging'))
    for (const [file, content] of Object.entries(stagingBefore)) expect(now[file]).toBe(content)
    // undoing the restore redoes the merge
    await runRestore(at(f.dir))
    expect(sha256Hex(canonBytes(f.dir)!)).toBe(merged.canon.after.sha256)
  })

  it('refuses when canon changed since, unless --force', async () => {
    const f = flowCourse()
    await merge(f.dir)
    writeFileSync(join(f.dir, 'lego_baskets.json'), `${readFileSync(join(f.dir, 'lego_baskets.json'), 'utf8')} `)
    await expect(runRestore(at(f.dir))).rejects.toMatchObject({code: 'E_CANON_CHANGED', exitCode: 3})
    const {result} = await runRestore({...at(f.dir), force: true})
    expect(existsSync(join(f.dir, result.backup!))).toBe(true)
  })

  it('--force undoes a canon that is not JSON any more, and reports it (counted as 0 baskets), not as a bug', async () => {
    const f = flowCourse()
    const {result: merged} = await merge(f.dir)
    writeFileSync(join(f.dir, 'lego_baskets.json'), '{"baskets": {"S0001L01": [')
    const {result} = await runRestore({...at(f.dir), force: true})
    expect(result.restored).toBe(merged.tx)
    expect(sha256Hex(canonBytes(f.dir)!)).toBe(merged.canon.before.sha256)
    expect(result.canon.before.baskets).toBe(0)
  })

  it('restores "no canon" when the first merge created it, keeping a backup', async () => {
    const f = flowCourse()
    const {rmSync} = await import('node:fs')
    rmSync(join(f.dir, 'lego_baskets.json'))
    await merge(f.dir)
    expect(canonBytes(f.dir)).not.toBeNull()
    const {result} = await runRestore(at(f.dir))
    expect(canonBytes(f.dir)).toBeNull()
    expect(existsSync(join(f.dir, result.backup!))).toBe(true)
  })
})

describe('locks', () => {
  it('a held lock blocks (exit 3); unlock needs its id', async () => {
    const f = flowCourse()
    const paths = wickerPaths(f.dir)
    const {lockId} = plantLock(f.dir, {pid: 1, host: 'elsewhere'})
    await expect(merge(f.dir)).rejects.toMatchObject({code: 'E_LOCK_HELD', exitCode: 3})
    expect((await runStatus(at(f.dir))).result.lock).toMatchObject({lockId, stale: false})
    await expect(runUnlock({...at(f.dir), lockId: 'wrong'})).rejects.toMatchObject({code: 'E_LOCK_ID'})
    expect(existsSync(paths.lock)).toBe(true)
    expect((await runUnlock({...at(f.dir), lockId})).result.removed?.lockId).toBe(lockId)
    expect((await merge(f.dir)).result.status).toBe('merged')
  })

  it('clears, and says so, a lock whose process on this host is gone', async () => {
    const f = flowCourse()
    plantLock(f.dir, {pid: deadPid()})
    const {result, warnings} = await merge(f.dir)
    expect(result.status).toBe('merged')
    expect(warnings.join('\n')).toMatch(/cleared the lock .* no longer running/)
    expect(existsSync(wickerPaths(f.dir).lock)).toBe(false)
  })
})
