import {relative, resolve} from 'node:path'

import type {Canon} from '../canon/model.js'
import {defined} from '../defined.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import type {Course} from '../course/model.js'
import type {Extraction} from '../extract/extract.js'
import {extractFor, stagingDirs, type ExtractSettings} from '../extract/run.js'
import {sha256Hex} from '../hash.js'
import {isObject} from '../json.js'
import {EXTRACT_FILE_VERSION, extractCacheSchema} from '../schemas/extract-cache.js'
import {REPAIR_DEFAULTS} from '../staging/repair.js'
import {scanStaging, stagingFingerprint} from '../staging/scan.js'
import {writeFileAtomic} from '../store/atomic-write.js'
import {realDisk} from '../store/disk.js'
import {readJournal, transactions} from '../store/journal.js'
import {wickerPaths} from '../store/paths.js'
import {readState} from '../store/state.js'
import {DEFAULT_POLICY, makePlan, planFile, type Plan, type PlanCounts, type PlanOptions} from './plan.js'
import {readCourseFile} from '../store/read-file.js'
import {readBytes, readJsonCache} from '../store/read-json.js'

export interface RunPreviewOptions extends OpenCourseOptions, ExtractSettings {
  policy?: Partial<PlanOptions>
  /** write the plan here */
  out?: string | null
  maxDiffs?: number
}

export interface PreviewResult {
  course: string
  planId: string
  /** items per class, one key each: new, fill, identical, update, conflict, stagingConflict, mismatch, … */
  counts: PlanCounts
  coverage: Plan['coverage']
  ops: number
  blocked: number
  items: Plan['items']
  /** readable diffs of conflicts, canon (-) against staging (+) */
  diffs: Array<{id: string; diff: string}>
  /** where the plan was written, or null */
  plan: string | null
  /** whether the cached extraction (.wicker/extract.json) was used */
  reusedExtract: boolean
}

/**
 * The extraction of `wicker extract`, when staging has not changed since; otherwise a fresh one, in
 * memory. A cache that cannot be used (damaged, from another version) is said so in `warnings`.
 */
export async function currentExtraction(course: Course, settings: ExtractSettings, cwd: string, warnings: string[] = []): Promise<{extraction: Extraction; reused: boolean}> {
  const dirs = stagingDirs(course, settings.staging, cwd)
  const cache = wickerPaths(course.dir).extract
  const read = await readJsonCache(cache, extractCacheSchema)
  if (read && !read.ok) {
    // an extraction written by an older wicker lacks what this one reads (each source's LEGO text, say)
    const old = isObject(read.value) && read.value.kind === 'wicker/extract' && read.value.version !== EXTRACT_FILE_VERSION
    warnings.push(old ? `${cache} was written by another wicker version: staging is read again (run \`wicker extract\` to refresh it)` : `${cache} is not usable (${read.problem}): ignored, staging is read again; \`wicker extract\` rewrites it`)
  }
  if (read?.ok) {
    const cached = read.value
    const scan = await scanStaging(dirs, course.dir)
    // .wicker/ is part of the course folder, so the cache is trusted only for files the scan found now
    const found = new Set([...scan.files, ...scan.skipped].map((f) => f.name))
    const named = [...cached.files.map((f) => f.file), ...cached.candidates.flatMap((c) => c.sources.map((s) => s.file))]
    // lego_pairs.json is named only when read for its payloads, as it is now (same flag, same bytes)
    const legoPairs = settings.fromLegoPairs ? {file: relative(course.dir, course.files.legoPairs), sha256: sha256Hex(await readBytes(course.files.legoPairs))} : undefined
    const sameLegoPairs = JSON.stringify(cached.options.legoPairs) === JSON.stringify(legoPairs)
    if (legoPairs) found.add(legoPairs.file)
    if (cached.fingerprint === stagingFingerprint(scan) && JSON.stringify(cached.dirs) === JSON.stringify(dirs) && cached.options.repair === (settings.repair ?? false) && cached.options.maxRepairSize === (settings.maxRepairSize ?? REPAIR_DEFAULTS.maxRepairSize) && sameLegoPairs && named.every((f) => found.has(f))) return {extraction: cached, reused: true}
  }
  return {extraction: await extractFor(course, settings, cwd), reused: false}
}

async function conflictDiffs(plan: Plan, canon: Canon, extraction: Extraction, max: number): Promise<PreviewResult['diffs']> {
  const conflicts = plan.items.filter((i) => i.class === 'conflict').slice(0, max)
  if (conflicts.length === 0) return []
  const {diffString} = await import('json-diff')
  const byId = new Map(extraction.candidates.map((c) => [c.id, c]))
  return conflicts.map(({id}) => {
    const current = canon.baskets.get(id)!.phrases.map((p) => (p ? {known: p.known, target: p.target} : null))
    const staged = byId.get(id)!.phrases
    return {id, diff: diffString({practice_phrases: current}, {practice_phrases: staged}, {color: false, maxElisions: 1}).trimEnd()}
  })
}

export async function runPreview(options: RunPreviewOptions): Promise<{result: PreviewResult; warnings: string[]}> {
  options.onProgress?.('loading the course')
  // preview only reads canon: one another tool wrote (no layout the canon index vouches for) is read by
  // one scan of its bytes (usable-scan.ts), each basket parsed only when the plan asks for it
  const {course, canon, warnings} = await openCourse({...options, lazyCanon: true, readOnly: 'usable', requireLegos: true})
  const paths = wickerPaths(course.dir)
  const open = transactions(await readJournal(realDisk, paths)).at(-1)
  if (open?.status === 'open') warnings.push(`${open.begin.kind} ${open.begin.tx} was interrupted; the next merge finishes or rolls it back first`)
  const {extraction, reused} = await currentExtraction(course, options, options.cwd, warnings)
  const state = await readState(realDisk, paths, {warnings})
  options.onProgress?.('planning')
  const plan = makePlan({course, canon, extraction, lineage: state?.lineage ?? null, options: {...DEFAULT_POLICY, ...defined(options.policy)}})
  let written: string | null = null
  if (options.out) {
    written = resolve(options.cwd, options.out)
    // compact, and without the ops' phrases: merge reads those again from the staging files the plan pins
    await writeFileAtomic(written, `${JSON.stringify(planFile(plan))}\n`)
  }
  return {
    result: {
      course: course.code,
      planId: plan.planId,
      counts: plan.counts,
      coverage: plan.coverage,
      ops: plan.ops.length,
      blocked: plan.blocked,
      items: plan.items,
      diffs: await conflictDiffs(plan, canon, extraction, options.maxDiffs ?? 10),
      plan: written,
      reusedExtract: reused,
    },
    warnings,
  }
}
