import {isUsable, type Canon, type CanonBasket} from '../canon/model.js'
import {covers} from '../canon/read.js'
import type {Course, TextPair} from '../course/model.js'
import {phrasesHash, type Candidate} from '../extract/candidate.js'
import {NOTE_KINDS, type Extraction, type StagingConflict} from '../extract/extract.js'
import {sha256Pieces} from '../hash.js'
import {COUNT_KEYS, ITEM_CLASSES} from '../schemas/plan.js'
import {unitKey} from '../text/normalize.js'
import {legoRelation} from './lego-relation.js'

/**
 * preview's pure core: what merging staging into canon would do, as data (DESIGN.md §6). Every
 * candidate gets a class; only `new`, `fill` and `update` are applied by default (and a stray
 * identical to its staged basket is moved into "baskets"); a canon basket absent from staging is
 * never touched, let alone deleted.
 */
export type ItemClass = (typeof ITEM_CLASSES)[number]

/** The key each class is counted under: one per class, camelCase (`staging-conflict` → `stagingConflict`). */
export type CountKey = (typeof COUNT_KEYS)[number]
export const countKey = (cls: ItemClass): CountKey => cls.replace(/-(\w)/gu, (_, c: string) => c.toUpperCase()) as CountKey
export type PlanCounts = Record<CountKey, number>

export type ConflictPolicy = 'fail' | 'keep-canon' | 'take-staging'

export interface PlanOptions {
  onConflict: ConflictPolicy
  /** per id: "canon", "staging", or the staging file whose version to take */
  resolutions: Record<string, string>
  adoptStrays: boolean
  acceptRepaired: boolean
  /** append the seed sentence to a final LEGO's basket that lacks it */
  seedSentence: boolean
}

export const DEFAULT_POLICY: PlanOptions = {onConflict: 'fail', resolutions: {}, adoptStrays: false, acceptRepaired: false, seedSentence: true}

export interface PlanOp {
  op: 'add' | 'update' | 'adopt'
  id: string
  /** the phrases to write, exactly (seed sentence already appended); in memory only, never in the plan file */
  phrases: TextPair[]
  /** phrasesHash(phrases) */
  hash: string
  /** hash of the canon basket replaced (update), or null */
  replaces: string | null
  sources: string[]
}

export interface PlanItem {
  id: string
  class: ItemClass
  /** what a merge does with it */
  action: 'apply' | 'skip' | 'blocked'
  sources: string[]
  note: string | null
}

/** An op as the plan file holds it: its phrases are named by their staging file (sources, pinned by hash in `staging`) and the basket's id, not carried. */
export type PlanFileOp = Omit<PlanOp, 'phrases'>

export const PLAN_VERSION = 3 as const

export interface Plan {
  kind: 'wicker/plan'
  /** 3: ops without their phrases, which `phrases` pins; 2: the classes fill and mismatch, counts keyed by countKey */
  version: typeof PLAN_VERSION
  /** sha256 of the plan's content: the same staging and canon give the same id */
  planId: string
  course: string
  createdAt: string
  /** lineage of the canon it was made for (null before the first merge) */
  lineage: string | null
  canon: {sha256: string | null; baskets: number}
  /** every staging file the plan reads or moves, with its hash: a merge refuses if one changed */
  staging: Array<{file: string; sha256: string}>
  /** how staging was read: `merge --plan` reads it again the same way and must arrive at this very plan */
  extract: Extraction['options']
  /** files moved to <staging>/.applied/<tx>/ after the merge: everything in them is in canon */
  consume: Array<{file: string; stagingDir: string}>
  options: PlanOptions
  /** sha256 of every op's exact phrase text, in op order: the phrases a merge writes are pinned by the planId through it */
  phrases: string
  ops: PlanOp[]
  items: PlanItem[]
  /** items per class, one key each (see countKey) */
  counts: PlanCounts
  /** items that stop a merge until resolved */
  blocked: number
  coverage: {before: number; after: number}
}

export function canonBasketHash(basket: CanonBasket): string {
  return phrasesHash(basket.phrases)
}

const seedIndex = new WeakMap<Course, Map<string, Course['seeds'][number]>>()

function seedOf(course: Course, id: string) {
  let map = seedIndex.get(course)
  if (!map) seedIndex.set(course, (map = new Map(course.seeds.map((s) => [s.id, s]))))
  return map.get(id)
}

export function withSeedSentence(course: Course, id: string, phrases: TextPair[], on: boolean): {phrases: TextPair[]; appended: boolean} {
  const lego = course.legoById.get(id)
  if (!on || !lego?.isFinal) return {phrases, appended: false}
  const seed = seedOf(course, lego.seedId)
  if (!seed || seed.target.trim() === '') return {phrases, appended: false}
  const last = phrases.at(-1)
  if (last && unitKey(last.target) === unitKey(seed.target)) return {phrases, appended: false}
  return {phrases: [...phrases, {known: seed.known.trim(), target: seed.target.trim()}], appended: true}
}

export interface PlanInputs {
  course: Course
  canon: Canon
  extraction: Extraction
  lineage: string | null
  options: PlanOptions
  now?: Date
}

export function makePlan({course, canon, extraction, lineage, options, now}: PlanInputs): Plan {
  const items: PlanItem[] = []
  const ops: PlanOp[] = []
  const fileSha = new Map(extraction.files.flatMap((f) => (f.sha256 ? [[f.file, f.sha256] as const] : [])))
  /** files holding something a merge leaves in staging */
  const pending = new Set<string>()
  const files = (c: {sources: Array<{file: string}>}) => [...new Set(c.sources.map((s) => s.file))]

  const addOp = (op: PlanOp['op'], candidate: {id: string; phrases: TextPair[]; sources: string[]; hash?: string}, replaces: string | null): string | null => {
    const {phrases, appended} = withSeedSentence(course, candidate.id, candidate.phrases, options.seedSentence)
    ops.push({op, id: candidate.id, phrases, hash: !appended && candidate.hash ? candidate.hash : phrasesHash(phrases), replaces, sources: candidate.sources})
    return appended ? 'seed sentence appended' : null
  }

  const resolve = (c: Candidate, existing: CanonBasket, canonHash: string): PlanItem => {
    const sources = files(c)
    const choice = options.resolutions[c.id] ?? (options.onConflict === 'fail' ? null : options.onConflict === 'keep-canon' ? 'canon' : 'staging')
    if (choice === 'canon') return {id: c.id, class: 'conflict', action: 'skip', sources, note: 'canon kept'}
    if (choice === 'staging') return {id: c.id, class: 'conflict', action: 'apply', sources, note: addOp('update', {id: c.id, phrases: c.phrases, sources, hash: c.hash}, canonHash) ?? 'staging taken'}
    void existing
    return {id: c.id, class: 'conflict', action: 'blocked', sources, note: 'differs from canon and has no base: choose with --on-conflict or --resolutions'}
  }

  /** a basket written for another LEGO: applied only when this id is resolved to staging (or one of its files) by name */
  const mismatch = (c: Candidate, lego: TextPair, sources: string[]): PlanItem | null => {
    const given = c.sources.find((s) => legoRelation(s.lego, lego, c.phrases) === 'mismatch')
    if (!given) return null
    const wrote = `${given.file} gives its LEGO as "${given.lego!.known}" / "${given.lego!.target}" and its phrases practise that; lego_pairs' ${c.id} is "${lego.known}" / "${lego.target}" (ids renumbered?)`
    const choice = options.resolutions[c.id]
    if (choice === 'canon') return {id: c.id, class: 'mismatch', action: 'skip', sources, note: `${wrote}; canon kept`}
    if (choice !== 'staging' && !sources.some((f) => f === choice || f.endsWith(`/${choice}`))) {
      return {id: c.id, class: 'mismatch', action: 'skip', sources, note: `${wrote}; never merged by a policy: to merge it under ${c.id} anyway, resolve it by id (--resolutions {"${c.id}": "staging"})`}
    }
    const existing = canon.baskets.get(c.id)
    const note = addOp(existing ? 'update' : 'add', {id: c.id, phrases: c.phrases, sources, hash: c.hash}, existing ? canonBasketHash(existing) : null)
    return {id: c.id, class: 'mismatch', action: 'apply', sources, note: note ? `${wrote}; merged as resolved, ${note}` : `${wrote}; merged as resolved`}
  }

  /** top-level copies identical to the staged basket of their id: moved into "baskets" by this plan */
  const adoptedWith = new Map<string, string[]>()

  for (const c of extraction.candidates) {
    const sources = files(c)
    const lego = course.legoById.get(c.id)
    let item: PlanItem
    if (!lego) item = {id: c.id, class: 'orphan', action: 'skip', sources, note: 'not a LEGO of this course'}
    else if (!lego.isNew) item = {id: c.id, class: 'overage', action: 'skip', sources, note: 'the LEGO is not new (new: false)'}
    else if (c.invalid) item = {id: c.id, class: 'invalid', action: 'skip', sources, note: c.invalid}
    else if (c.repaired && !options.acceptRepaired) item = {id: c.id, class: 'repaired', action: 'skip', sources, note: 'salvaged by jsonrepair: review it, then merge with --accept-repaired'}
    else {
      const existing = canon.baskets.get(c.id)
      const wrong = mismatch(c, lego, sources)
      const stray = existing ? undefined : canon.strays.get(c.id)
      const sameAs = (basket: CanonBasket) => {
        const hash = canonBasketHash(basket)
        return hash === c.hash || hash === phrasesHash(withSeedSentence(course, c.id, c.phrases, options.seedSentence).phrases)
      }
      if (wrong) item = wrong
      else if (stray && sameAs(stray)) {
        // The staged basket is already in canon, at the top level: moving that copy in writes it once, and leaves none behind.
        adoptedWith.set(c.id, sources)
        item = {id: c.id, class: 'identical', action: 'skip', sources, note: 'same phrases as the top-level copy in canon, which this merge moves into "baskets"'}
      } else if (!existing) item = {id: c.id, class: 'new', action: 'apply', sources, note: addOp('add', {id: c.id, phrases: c.phrases, sources, hash: c.hash}, null)}
      else if (!covers(canon, c.id)) {
        // The canon basket has no usable phrase (detect counts the id missing): nothing in it is lost, so this fills it.
        item = {id: c.id, class: 'fill', action: 'apply', sources, note: addOp('update', {id: c.id, phrases: c.phrases, sources, hash: c.hash}, canonBasketHash(existing)) ?? 'the canon basket has no usable phrase'}
      } else {
        const canonHash = canonBasketHash(existing)
        if (sameAs(existing)) item = {id: c.id, class: 'identical', action: 'skip', sources, note: null}
        else if (c.base !== null && c.base === canonHash) item = {id: c.id, class: 'update', action: 'apply', sources, note: addOp('update', {id: c.id, phrases: c.phrases, sources, hash: c.hash}, canonHash)}
        else {
          item = resolve(c, existing, canonHash)
          if (c.base !== null) item.note = `${item.note}; its base ${c.base.slice(0, 12)} is not the canon basket's ${canonHash.slice(0, 12)} (canon changed since it was generated)`
        }
      }
    }
    items.push(item)
    if (item.action !== 'apply' && item.class !== 'identical') for (const f of sources) pending.add(f)
  }

  for (const conflict of extraction.stagingConflicts) items.push(resolveStagingConflict(conflict, canon, options, addOp, pending))

  const staged = new Set([...extraction.candidates.map((c) => c.id), ...extraction.stagingConflicts.map((c) => c.id)])
  for (const [id, stray] of canon.strays) {
    const lego = course.legoById.get(id)
    const free = !canon.baskets.has(id) && !staged.has(id) && lego?.isNew === true
    const adopt = (sources: string[]) => ops.push({op: 'adopt', id, phrases: stray.phrases.filter(isUsable).map((p) => ({known: p.known, target: p.target})), hash: canonBasketHash(stray), replaces: null, sources})
    const withStaged = adoptedWith.get(id)
    if (withStaged) {
      adopt(withStaged)
      items.push({id, class: 'stray', action: 'apply', sources: withStaged, note: 'identical to the staged basket: moved into "baskets"'})
    } else if (options.adoptStrays && free) {
      adopt([])
      items.push({id, class: 'stray', action: 'apply', sources: [], note: 'moved into "baskets" (--adopt-strays)'})
    } else {
      items.push({id, class: 'stray', action: 'skip', sources: [], note: free ? 'at the top level: --adopt-strays moves it into "baskets"' : 'at the top level, and not adoptable (its id has a basket, a candidate, or no new LEGO)'})
    }
  }

  // Files to consume: every basket in them is in canon after the merge. Bad or partly unreadable files stay.
  const problemFiles = new Set(extraction.problems.filter((p) => !NOTE_KINDS.has(p.kind)).flatMap((p) => p.file.split(', ')))
  // lego_pairs.json read as a basket source (--from-lego-pairs) is a course file, not staging: pinned
  // by its own hash in `extract`, it is never hashed as a staging file, consumed or moved.
  const legoPairs = extraction.options.legoPairs
  const consume = extraction.files.filter((f) => f.status === 'used' && !pending.has(f.file) && !problemFiles.has(f.file) && f.file !== legoPairs?.file).map((f) => ({file: f.file, stagingDir: f.stagingDir}))
  const opFiles = new Set(ops.flatMap((o) => o.sources).filter((f) => f !== legoPairs?.file))
  const staging = [...new Set([...consume.map((c) => c.file), ...opFiles])].sort().map((file) => ({file, sha256: fileSha.get(file)!}))

  const counts = Object.fromEntries(ITEM_CLASSES.map((k) => [countKey(k), 0])) as PlanCounts
  for (const item of items) counts[countKey(item.class)]++

  const needed = course.legos.filter((l) => l.isNew)
  const present = new Set(needed.filter((l) => covers(canon, l.id)).map((l) => l.id))
  const after = new Set(present)
  for (const op of ops) if (course.legoById.get(op.id)?.isNew && op.phrases.length > 0) after.add(op.id)
  const ratio = (n: number) => (needed.length === 0 ? 1 : n / needed.length)

  const body = {
    kind: 'wicker/plan' as const,
    version: PLAN_VERSION,
    course: course.code,
    lineage,
    canon: {sha256: canon.sha256, baskets: canon.baskets.size},
    staging,
    extract: {repair: extraction.options.repair, maxRepairSize: extraction.options.maxRepairSize, maxFileSize: extraction.options.maxFileSize, maxDepth: extraction.options.maxDepth, ...(legoPairs ? {legoPairs: {file: legoPairs.file, sha256: legoPairs.sha256}} : {})},
    consume,
    options,
    phrases: phrasesDigest(ops),
    ops,
    items,
    counts,
    blocked: items.filter((i) => i.action === 'blocked').length,
    coverage: {before: ratio(present.size), after: ratio(after.size)},
  }
  return {...body, planId: planDigest(body), createdAt: (now ?? new Date()).toISOString()}
}

/** The plan as its file holds it: every op without its phrases (merge reads them again from staging). */
export type PlanFile = Omit<Plan, 'ops'> & {ops: PlanFileOp[]}

export function planFile(plan: Plan): PlanFile {
  return {...plan, ops: plan.ops.map(({phrases, ...op}) => (void phrases, op))}
}

/**
 * The plan's id: a hash of everything its file holds. The ops' exact phrase text counts through
 * `phrases` (phrasesDigest), not their normalised hash: a space or a tab more in a phrase staging
 * gives, or in a seed sentence, changes the id, so such a plan is refused rather than written.
 */
export function planDigest(body: Omit<PlanFile, 'planId' | 'createdAt'>): string {
  const {ops, ...rest} = body
  const hash = sha256Pieces().update(JSON.stringify(rest))
  for (const o of ops) hash.update(`\n${JSON.stringify([o.op, o.id, o.hash, o.replaces, o.sources])}`)
  return hash.digest('hex')
}

/**
 * sha256 of every op's exact phrases, op by op, in order: each op as its phrase count, each side
 * of a phrase as its length and its text, so no two phrase lists give the same input, whatever
 * characters they hold.
 */
export function phrasesDigest(ops: ReadonlyArray<Pick<PlanOp, 'phrases'>>): string {
  const hash = sha256Pieces()
  for (const o of ops) {
    hash.update(`${o.phrases.length}\n`)
    for (const p of o.phrases) hash.update(`${p.known.length}:${p.known}${p.target.length}:${p.target}`)
  }
  return hash.digest('hex')
}

function resolveStagingConflict(
  conflict: StagingConflict,
  canon: Canon,
  options: PlanOptions,
  addOp: (op: PlanOp['op'], c: {id: string; phrases: TextPair[]; sources: string[]}, replaces: string | null) => string | null,
  pending: Set<string>,
): PlanItem {
  const sources = [...new Set(conflict.variants.flatMap((v) => v.sources.map((s) => s.file)))]
  const choice = options.resolutions[conflict.id]
  const variant = choice ? conflict.variants.find((v) => v.sources.some((s) => s.file === choice || s.file.endsWith(`/${choice}`))) : undefined
  for (const f of sources) pending.add(f)
  if (choice === 'canon') return {id: conflict.id, class: 'staging-conflict', action: 'skip', sources, note: 'canon kept'}
  if (variant?.phrasesData) {
    const existing = canon.baskets.get(conflict.id)
    const note = addOp(existing ? 'update' : 'add', {id: conflict.id, phrases: variant.phrasesData, sources: variant.sources.map((s) => s.file)}, existing ? canonBasketHash(existing) : null)
    return {id: conflict.id, class: 'staging-conflict', action: 'apply', sources, note: note ?? `took the version in ${choice}`}
  }
  return {id: conflict.id, class: 'staging-conflict', action: 'blocked', sources, note: `${conflict.variants.length} different versions in staging: pick one with --resolutions ({"${conflict.id}": "<file>"})`}
}
