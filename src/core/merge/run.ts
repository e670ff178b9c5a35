import {relative, resolve} from 'node:path'

import type {Canon} from '../canon/model.js'
import {readCanonIndex, writeCanonIndex} from '../canon/canon-index.js'
import {canonFromBytes, readCanonValue} from '../canon/read.js'
import {defined} from '../defined.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import type {Course} from '../course/model.js'
import {BlockedError, InputError, UsageError} from '../errors.js'
import type {Extraction} from '../extract/extract.js'
import {extractFor, stagingDirs, type ExtractSettings} from '../extract/run.js'
import {sha256Hex} from '../hash.js'
import {parsePlan} from '../preview/plan-file.js'
import {DEFAULT_POLICY, makePlan, type Plan, type PlanFile, type PlanOptions} from '../preview/plan.js'
import {stagingPath} from '../staging/confine.js'
import {realDisk, type Disk, type FileInfo} from '../store/disk.js'
import {readJournal, transactions} from '../store/journal.js'
import {within} from '../store/inside.js'
import {acquireLock} from '../store/lock.js'
import {wickerPaths} from '../store/paths.js'
import {readNamedJson} from '../store/named-file.js'
import {readState} from '../store/state.js'
import {applyPlan} from './apply.js'
import {recover} from '../transaction/recover.js'
import {remembering} from '../transaction/remembering.js'
import {appliedPath, canonFileNow, newTxId, runTransaction, type TxContext} from '../transaction/transaction.js'

export interface RunMergeOptions extends OpenCourseOptions, ExtractSettings {
  /** apply exactly this plan file (from `preview --out`) */
  plan?: string | null
  policy?: Partial<PlanOptions>
  yes?: boolean
  dryRun?: boolean
  /** asked, on a terminal, before a plan computed here is applied */
  confirm?: (plan: Plan) => Promise<boolean>
  disk?: Disk
  /** wait this long for a lock held by a live process (0: fail at once) */
  lockTimeoutMs?: number
  /** stops that wait */
  signal?: AbortSignal
  /** told when merge starts waiting for the lock */
  onLockWait?: (message: string) => void
}

export interface CanonSide {
  sha256: string | null
  baskets: number
}

export interface MergeResult {
  status: 'merged' | 'nothing-to-do' | 'already-applied' | 'dry-run' | 'declined'
  tx: string | null
  planId: string
  added: string[]
  updated: string[]
  adopted: string[]
  canon: {before: CanonSide; after: CanonSide}
  backup: string | null
  /** staging files moved to .applied/<tx>/ */
  consumed: string[]
  /** interrupted transactions this run finished or rolled back first */
  recovered: string[]
  /** how canon was written: only the changed baskets' bytes (spliced), the whole document (serialised), or not at all */
  written: 'spliced' | 'serialised' | null
  /** what the plan holds (for --dry-run and the confirmation) */
  planned: {add: number; update: number; adopt: number; consume: number}
}

function planned(plan: PlanFile): MergeResult['planned'] {
  const n = (op: string) => plan.ops.filter((o) => o.op === op).length
  return {add: n('add'), update: n('update'), adopt: n('adopt'), consume: plan.consume.length}
}

export function txContext(course: Course, disk: Disk): TxContext {
  return {disk, paths: wickerPaths(course.dir), courseDir: course.dir, canonFile: course.files.canon}
}

/** Canon as it is on disk now: bytes, hash and model, and its file as it was just before the read (checked again before the rename). */
export async function readCanonNow(ctx: TxContext, maxDepth?: number): Promise<{bytes: Buffer | null; canon: Canon; file: FileInfo | null}> {
  const file = await canonFileNow(ctx)
  if (!ctx.disk.exists(ctx.canonFile)) return {bytes: null, canon: readCanonValue({}, ctx.canonFile, null), file}
  const bytes = await ctx.disk.readFile(ctx.canonFile)
  const sha = sha256Hex(bytes)
  // A canon the index does not vouch for (a first merge into another tool's canon) is read by one
  // scan of its bytes (usable-scan.ts: the same refusals as the full read, which reads anything the
  // scan does not take); each wicker-shaped basket is parsed from its bytes once, when the plan or the
  // serialisation asks for it, and then is always the same value (apply.ts's identity checks).
  const canon = canonFromBytes(bytes, ctx.canonFile, sha, await readCanonIndex(ctx.paths.canonIndex, sha), {maxDepth, spans: 'usable'})
  return {bytes, canon: {...canon, exists: true}, file}
}

function stale(what: string, plan: PlanFile): never {
  throw new BlockedError({code: 'E_STALE_PLAN', message: `stale plan: ${what} since the plan was made (${plan.createdAt}); nothing was written.`, hint: 'Run `wicker preview <course> --out <plan>` again and merge the new plan.', details: {planId: plan.planId}})
}

/**
 * A plan is a file anyone can write. Every staging path in it must lie inside the staging folders
 * this merge reads: a forged `../../elsewhere` is refused before anything is read or moved.
 */
export async function checkPlanPaths(course: Course, plan: PlanFile, dirs: string[], options: {disk?: Disk; named?: string[]} = {}): Promise<void> {
  const shown = dirs.map((d) => (within(course.dir, d) ? relative(course.dir, d) : d))
  // one pass: the folders every file is judged by are looked up once, not once per file
  const disk = remembering(options.disk ?? realDisk)
  // the same rule a journal record's moves are judged by (record-check.ts)
  const trust = {courseDir: course.dir, wickerDir: wickerPaths(course.dir).root, named: options.named ?? []}
  // 40,000 ops name a few hundred files: each (file, folder) is judged once
  const judged = new Map<string, boolean>()
  const check = async (file: string, stagingDir: string | null, where: string) => {
    const key = `${stagingDir ?? ''}\0${file}`
    let ok = judged.get(key)
    if (ok === undefined) {
      ok = !file.includes('\0') && !stagingDir?.includes('\0') && (await stagingPath(disk, file, stagingDir, dirs, trust)) !== null
      judged.set(key, ok)
    }
    if (ok) return
    throw new InputError({
      code: 'E_PLAN_OUTSIDE_STAGING',
      message: `the plan names ${JSON.stringify(file)} (${where}), which is not a file of the staging folders of ${course.code} (${shown.join(', ')}); nothing was read or written.`,
      hint: 'A plan only ever names files in staging: this one was edited, or made for another course or with another --staging. Write a fresh plan with `wicker preview <course> --out <plan>`.',
      details: {file, where},
    })
  }
  for (const [i, c] of plan.consume.entries()) await check(c.file, c.stagingDir, `consume[${i}]`)
  for (const [i, s] of plan.staging.entries()) await check(s.file, null, `staging[${i}]`)
  // A plan made with --from-lego-pairs also names the course's lego_pairs.json as a source: only
  // read, never moved, and only by its own name (the plan's is not trusted).
  const legoPairs = plan.extract.legoPairs ? relative(course.dir, course.files.legoPairs) : null
  const source = async (f: string, where: string) => (f === legoPairs ? undefined : check(f, null, where))
  for (const [i, o] of plan.ops.entries()) for (const [k, f] of o.sources.entries()) await source(f, `ops[${i}].sources[${k}]`)
  for (const [i, item] of plan.items.entries()) for (const [k, f] of item.sources.entries()) await source(f, `items[${i}].sources[${k}]`)
}

/** What differs between a plan file and the plan staging and canon give now, in words. */
function planDifference(given: PlanFile, now: Plan): string {
  const mine = new Map(now.ops.map((o) => [o.id, o]))
  for (const op of given.ops) {
    const same = mine.get(op.id)
    if (!same) return `it would write ${op.id}, which staging does not give`
    if (JSON.stringify([op.op, op.hash, op.replaces, op.sources]) !== JSON.stringify([same.op, same.hash, same.replaces, same.sources])) return `its ${op.op} of ${op.id} is not what staging holds`
  }
  const theirs = new Set(given.ops.map((o) => o.id))
  const missing = now.ops.find((o) => !theirs.has(o.id))
  if (missing) return `it leaves out ${missing.id}, which staging gives`
  if (given.phrases !== now.phrases) return 'the exact text of its phrases is not what staging holds'
  if (JSON.stringify(given.consume) !== JSON.stringify(now.consume)) return 'the staging files it would move are not the ones it consumes'
  return 'its items or counts are not what staging and canon give'
}

/**
 * The plan's preconditions: its course, canon and lineage, and every staging file it names unchanged.
 * The files are judged by the hashes the extraction just took of them, so each is read once.
 */
function checkPlan(course: Course, plan: PlanFile, canon: Canon, lineage: string | null, extraction: Extraction): void {
  if (plan.course !== course.code) throw new UsageError({code: 'E_PLAN_COURSE', message: `the plan is for ${plan.course}, not ${course.code}.`, hint: 'Pass the plan made for this course.'})
  if (plan.canon.sha256 !== canon.sha256) stale('canon changed', plan)
  if (plan.lineage !== null && plan.lineage !== lineage) stale('the canon lineage changed (another canon was put in place)', plan)
  const legoPairs = plan.extract.legoPairs
  if (legoPairs && legoPairs.sha256 !== extraction.options.legoPairs?.sha256) stale(`${legoPairs.file}, which it read baskets from (--from-lego-pairs), changed`, plan)
  const now = new Map(extraction.files.map((f) => [f.file, f.sha256]))
  for (const {file, sha256: expected} of plan.staging) {
    if (!now.has(file) || now.get(file) === null) stale(`staging file ${file} is gone`, plan)
    if (now.get(file) !== expected) stale(`staging file ${file} changed`, plan)
  }
}

export async function runMerge(options: RunMergeOptions): Promise<{result: MergeResult; warnings: string[]}> {
  const progress = options.onProgress
  progress?.('loading the course')
  const {course, warnings} = await openCourse({...options, canon: false})
  const disk = options.disk ?? realDisk
  const ctx = txContext(course, disk)
  const given = options.plan ? parsePlan((await readNamedJson(resolve(options.cwd, options.plan), {flag: '--plan', what: 'Plan'})).value, options.plan) : null

  const stagingRoots = options.staging ? stagingDirs(course, options.staging, options.cwd) : []
  const lock = await acquireLock(disk, ctx.paths, given ? `wicker merge --plan ${options.plan}` : 'wicker merge', {timeoutMs: options.lockTimeoutMs, signal: options.signal, onWait: options.onLockWait})
  warnings.push(...lock.notes)
  try {
    const {notes} = await recover(ctx, {stagingRoots})
    warnings.push(...notes)
    progress?.('reading canon')
    const {bytes, canon, file} = await readCanonNow(ctx, options.maxDepth)
    const before: CanonSide = {sha256: canon.sha256, baskets: canon.baskets.size}
    const base = {tx: null, written: null, added: [], updated: [], adopted: [], canon: {before, after: before}, backup: null, consumed: [], recovered: notes}
    const lineage = (await readState(disk, ctx.paths))?.lineage ?? null

    let plan: Plan
    if (given) {
      const done = transactions(await readJournal(disk, ctx.paths)).find((t) => t.begin.planId === given.planId && t.status === 'committed')
      if (done) return {result: {...base, status: 'already-applied', tx: done.begin.tx, planId: given.planId, planned: planned(given)}, warnings}
      await checkPlanPaths(course, given, stagingDirs(course, options.staging, options.cwd), {disk, named: stagingRoots})
      // The plan's own hash only proves it is whole. What is applied is the plan staging and canon
      // give now, read the way the plan was made, and only if it is this very plan.
      const extraction = await extractFor(course, {...options, ...given.extract, fromLegoPairs: given.extract.legoPairs !== undefined}, options.cwd)
      progress?.('checking the plan')
      checkPlan(course, given, canon, lineage, extraction)
      const again = makePlan({course, canon, extraction, lineage, options: given.options})
      if (again.planId !== given.planId) {
        throw new InputError({
          code: 'E_PLAN_MISMATCH',
          message: `the plan does not match staging and canon as they are, though every file it names is unchanged: ${planDifference(given, again)}; nothing was written.`,
          hint: 'The plan was edited or forged. Write a fresh plan with `wicker preview <course> --out <plan>`, review it, and merge that.',
          details: {planId: given.planId, recomputed: again.planId},
        })
      }
      plan = again
    } else {
      const extraction = await extractFor(course, options, options.cwd)
      progress?.('planning')
      plan = makePlan({course, canon, extraction, lineage, options: {...DEFAULT_POLICY, ...defined(options.policy)}})
    }

    if (plan.blocked > 0) {
      const blocked = plan.items.filter((i) => i.action === 'blocked')
      throw new BlockedError({
        code: 'E_CONFLICTS',
        message: `${blocked.length} basket(s) block the merge: ${blocked.slice(0, 5).map((i) => `${i.id} (${i.class})`).join(', ')}${blocked.length > 5 ? ', …' : ''}; nothing was written.`,
        hint: 'See them with `wicker preview`; then choose with --on-conflict keep-canon|take-staging or per id with --resolutions FILE.',
        details: {blocked: blocked.map((i) => ({id: i.id, class: i.class, note: i.note}))},
      })
    }
    // Nothing for canon: no question, no backup, no journal transaction. Staging files holding only
    // baskets canon already has stay where they are (they lose nothing and change nothing).
    if (plan.ops.length === 0) return {result: {...base, status: 'nothing-to-do', planId: plan.planId, planned: planned(plan)}, warnings}
    if (options.dryRun) return {result: {...base, status: 'dry-run', planId: plan.planId, planned: planned(plan)}, warnings}
    if (!given && !options.yes) {
      if (!options.confirm) throw new UsageError({code: 'E_CONFIRM', message: 'merge needs confirmation, and there is no terminal to ask on.', hint: 'Pass --yes, or merge a reviewed plan with --plan FILE.'})
      if (!(await options.confirm(plan))) return {result: {...base, status: 'declined', planId: plan.planId, planned: planned(plan)}, warnings}
    }

    progress?.('writing canon (backup, journal, atomic replace)')
    const tx = newTxId('merge')
    const at = new Date().toISOString()
    const applied = applyPlan(course, canon, plan, {tx, at})
    // each file's hash as the plan read it: a file that changed since is not moved (its new baskets were not merged)
    const shaOf = new Map(plan.staging.map((s) => [s.file, s.sha256]))
    const moves = plan.consume.map(({file: f, stagingDir}) => [f, appliedPath(f, stagingDir, tx), shaOf.get(f)!] as [string, string, string])
    const done = await runTransaction(ctx, tx, {
      kind: 'merge',
      planId: plan.planId,
      target: null,
      before: bytes,
      beforeSha: canon.sha256,
      beforeFile: file,
      after: applied.bytes,
      afterSha: applied.sha256,
      moves,
      stagingRoots,
      counts: {added: applied.added.length, updated: applied.updated.length, adopted: applied.adopted.length},
    })
    warnings.push(...done.notes)
    // Canon is now as wicker serialises it: the next preview and merge can read it by its layout.
    if (canon.containerPath.join('/') === 'baskets') await writeCanonIndex(ctx.paths.canonIndex, {sha256: applied.sha256, baskets: applied.baskets, uncovered: applied.uncovered}, ctx.courseDir)
    const after: CanonSide = {sha256: applied.sha256, baskets: applied.baskets}
    return {result: {status: 'merged', tx, written: applied.written, planId: plan.planId, added: applied.added, updated: applied.updated, adopted: applied.adopted, canon: {before, after}, backup: done.backup, consumed: done.moved, recovered: notes, planned: planned(plan)}, warnings}
  } finally {
    await lock.release().catch(() => undefined)
  }
}
