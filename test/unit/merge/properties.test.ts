import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {renderFormat} from '../../../bench/synth/staging.js'
import {readCanon} from '../../../src/core/canon/read.js'
import {runMerge} from '../../../src/core/merge/run.js'
import {runRestore} from '../../../src/core/merge/restore.js'
import {runPreview} from '../../../src/core/preview/run.js'
import {canonBytes, copyCourse, flowCourse} from '../../helpers/flow.js'

/**
 * Properties over random staging sets (subsets of the missing baskets, in random formats, plus
 * copies of baskets canon already has and conflicting versions resolved one way or the other).
 */
const template = flowCourse({seeds: 14, formats: ['F1']})
const emptyStaging = (dir: string) => join(dir, 'phase5_baskets_staging')
const RUNS = {numRuns: 15}

function stage(dir: string, folder: string, picks: number[], formatSeed: number, salt = ''): string[] {
  mkdirSync(folder, {recursive: true})
  const formats = ['F1', 'F2', 'F4', 'F8', 'F12'] as const
  const ids: string[] = []
  picks.forEach((i, n) => {
    const b = template.baskets[i % template.baskets.length]!
    ids.push(b.lego.id)
    const phrases = salt ? b.phrases.map((p) => ({...p, known: p.known + salt})) : b.phrases
    for (const f of renderFormat(formats[(formatSeed + n) % formats.length]!, [{lego: b.lego, phrases}], `p${n}${salt ? 'x' : ''}`)) writeFileSync(join(folder, f.name), f.content)
  })
  return [...new Set(ids)]
}

function fresh(): string {
  const dir = copyCourse(template.dir)
  // start with empty staging: each property stages what it needs
  rmSync(emptyStaging(dir), {recursive: true, force: true})
  return dir
}

const picks = fc.uniqueArray(fc.nat({max: template.baskets.length - 1}), {minLength: 1, maxLength: Math.min(12, template.baskets.length)})
const baskets = (dir: string) => JSON.parse(readFileSync(join(dir, 'lego_baskets.json'), 'utf8')).baskets as Record<string, unknown>

describe('merge properties', () => {
  it('changes exactly the baskets the plan lists, and loses none', async () => {
    await fc.assert(
      fc.asyncProperty(picks, fc.nat(10), fc.constantFrom('keep-canon', 'take-staging'), fc.boolean(), async (chosen, formatSeed, onConflict, conflict) => {
        const dir = fresh()
        stage(dir, emptyStaging(dir), chosen, formatSeed)
        if (conflict) {
          // a different version of a basket canon already has
          const canon = await readCanon(join(dir, 'lego_baskets.json'))
          const [id] = [...canon.baskets.keys()].filter((k) => template.course.legoById.get(k)?.isNew)
          const lego = template.course.legoById.get(id!)!
          writeFileSync(join(emptyStaging(dir), 'conflict.json'), JSON.stringify({[id!]: {practice_phrases: [{known: `${lego.known} again`, target: lego.target}]}}))
        }
        const before = baskets(dir)
        const out = join(dir, 'plan.json')
        await runPreview({course: dir, cwd: dir, out, policy: {onConflict}})
        const plan = JSON.parse(readFileSync(out, 'utf8'))
        await runMerge({course: dir, cwd: dir, plan: out})
        const after = baskets(dir)
        const listed = new Set(plan.ops.map((o: {id: string}) => o.id))
        const changed = Object.keys(after).filter((id) => JSON.stringify(after[id]) !== JSON.stringify(before[id]))
        expect(new Set(changed)).toEqual(listed)
        for (const id of Object.keys(before)) expect(after[id]).toBeDefined()
      }),
      RUNS,
    )
  })

  it('merging the same staging twice equals merging it once', async () => {
    await fc.assert(
      fc.asyncProperty(picks, fc.nat(10), async (chosen, formatSeed) => {
        const dir = fresh()
        stage(dir, emptyStaging(dir), chosen, formatSeed)
        await runMerge({course: dir, cwd: dir, yes: true})
        const once = canonBytes(dir)
        stage(dir, emptyStaging(dir), chosen, formatSeed + 1)
        const second = (await runMerge({course: dir, cwd: dir, yes: true})).result
        expect(second.added).toEqual([])
        expect(second.updated).toEqual([])
        expect(canonBytes(dir)).toEqual(once)
      }),
      RUNS,
    )
  })

  it('non-conflicting staging sets give the same canon in either order', async () => {
    await fc.assert(
      fc.asyncProperty(picks, picks, fc.nat(10), async (a, b, formatSeed) => {
        const run = async (first: number[], second: number[]) => {
          const dir = fresh()
          stage(dir, join(dir, 'one'), first, formatSeed)
          stage(dir, join(dir, 'two'), second, formatSeed + 3)
          await runMerge({course: dir, cwd: dir, yes: true, staging: [join(dir, 'one')]})
          await runMerge({course: dir, cwd: dir, yes: true, staging: [join(dir, 'two')]})
          return JSON.stringify(baskets(dir))
        }
        expect(await run(a, b)).toBe(await run(b, a))
      }),
      {numRuns: 10},
    )
  })

  it('restore after merge gives back canon byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(picks, fc.nat(10), fc.integer({min: 1, max: 3}), async (chosen, formatSeed, merges) => {
        const dir = fresh()
        const start = canonBytes(dir)
        const states = [start]
        const slice = Math.ceil(chosen.length / merges)
        for (let m = 0; m < merges; m++) {
          const part = chosen.slice(m * slice, (m + 1) * slice)
          if (part.length === 0) break
          stage(dir, join(dir, `s${m}`), part, formatSeed)
          await runMerge({course: dir, cwd: dir, yes: true, staging: [join(dir, `s${m}`)]})
          states.push(canonBytes(dir))
        }
        // undo the merges by name, newest first: each restore gives back the canon before that merge
        const journal = readFileSync(join(dir, '.wicker', 'journal.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
        const txs = journal.filter((r) => r.type === 'begin' && r.kind === 'merge').map((r) => r.tx as string)
        for (let m = txs.length; m > 0; m--) {
          await runRestore({course: dir, cwd: dir, tx: txs[m - 1]})
          expect(canonBytes(dir)).toEqual(states[m - 1])
        }
      }),
      RUNS,
    )
  })
})
