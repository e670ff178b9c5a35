import {isAbsolute, join, resolve} from 'node:path'

import type {z} from 'zod'

import {checkCanon} from '../canon/read.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import type {Course} from '../course/model.js'
import {errnoOf} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {EXTRACT_FILE_VERSION, type extractCacheSchema} from '../schemas/extract-cache.js'
import {jsonPieces, jsonText, writeFileAtomic} from '../store/atomic-write.js'
import {realDisk} from '../store/disk.js'
import {makeRealFolder} from '../store/wicker-folder.js'
import {readIfUnchanged} from '../staging/read.js'
import {REPAIR_DEFAULTS} from '../staging/repair.js'
import {quarantinePaths, STAGING_DIRS, wickerPaths} from '../store/paths.js'
import type {OnProgress} from '../progress.js'
import {extractStaging, type ExtractOptions, type Extraction} from './extract.js'

export interface ExtractSettings {
  /** staging folders; default: phase5_baskets_staging/ and phase3_baskets_staging/ in the course */
  staging?: string[]
  repair?: boolean
  /** largest JSON text --repair salvages, in bytes */
  maxRepairSize?: number
  maxFileSize?: number
  maxDepth?: number
  /** also offer the basket payloads in lego_pairs.json's seeds as candidates (from-lego-pairs.ts) */
  fromLegoPairs?: boolean
  /** how far the work got (loading, reading staging, …): the command shows it */
  onProgress?: OnProgress
}

export const EXTRACT_DEFAULTS = {maxFileSize: 50 * 1024 * 1024, maxDepth: 64}

/** Version of .wicker/extract.json: preview reuses only an extraction of this version (2: each source's LEGO text). */
export {EXTRACT_FILE_VERSION}

export function stagingDirs(course: Course, staging: string[] | undefined, cwd: string): string[] {
  if (staging && staging.length > 0) return staging.map((d) => (isAbsolute(d) ? d : resolve(cwd, d)))
  return STAGING_DIRS.map((d) => join(course.dir, d))
}

/**
 * The one extraction extract, preview, merge and status use: staging as read with the settings,
 * plus the lego_pairs payloads when asked (recorded in its options, so a plan made from it says so).
 */
export async function extractFor(course: Course, settings: ExtractSettings, cwd: string, hooks: Pick<ExtractOptions, 'afterScan'> = {}): Promise<Extraction> {
  const extraction = await extractStaging({
    course,
    dirs: stagingDirs(course, settings.staging, cwd),
    repair: settings.repair ?? false,
    maxRepairSize: settings.maxRepairSize ?? REPAIR_DEFAULTS.maxRepairSize,
    maxFileSize: settings.maxFileSize ?? EXTRACT_DEFAULTS.maxFileSize,
    maxDepth: settings.maxDepth ?? EXTRACT_DEFAULTS.maxDepth,
    onProgress: settings.onProgress,
    ...hooks,
  })
  if (!settings.fromLegoPairs) return extraction
  return (await import('./from-lego-pairs.js')).addLegoPairsBaskets(extraction, course)
}

export interface RunExtractResult {
  files: Extraction['counts']
  formats: Extraction['formats']
  candidates: number
  duplicates: number
  stagingConflicts: number
  superseded: number
  repaired: number
  invalid: number
  problems: Extraction['problems']
  /** where the full extraction was written */
  output: string
  /** unusable files with their copy in .wicker/quarantine/, made by this run or an earlier one */
  quarantined: number
  /** of those, the copies this run made */
  quarantinedNow: number
  /** candidates read from basket payloads in lego_pairs.json (--from-lego-pairs); null when not asked */
  fromLegoPairs: number | null
}

/**
 * Copies each unusable staging file into .wicker/quarantine/ with its reason. Staging is left as it
 * is. The copy is of the bytes extract judged (checked by hash): a file changed or swapped for a
 * symlink since is not copied. The names are predictable (the file ships with the course, so does
 * its hash): each is created exclusively, and anything already at a name, a planted symlink
 * included, is left as it is. It counts every unusable file whose copy is there, whichever run
 * made it: a regular file of the same size at its name (a planted link or a stub is no copy).
 */
async function quarantine(extraction: Extraction, courseDir: string, dir: string): Promise<{quarantined: number; now: number}> {
  let count = 0
  let now = 0
  let made = false
  const copied = async (target: string, size: number) => {
    const st = await realDisk.lstat(target)
    return st !== null && st.kind === 'file' && st.size === BigInt(size)
  }
  const exclusive = async (file: string, data: string | Uint8Array): Promise<boolean> => {
    try {
      // copies, not originals (staging keeps those): whole, but not worth an fsync
      await writeFileAtomic(file, data, {replace: false, durable: false})
      return true
    } catch (error) {
      if (errnoOf(error) === 'EEXIST') return false
      throw error
    }
  }
  for (const file of extraction.files) {
    if (file.status !== 'bad' || !file.sha256) continue
    const {copy: target, reason: reasonFile} = quarantinePaths(dir, {file: file.file, sha256: file.sha256})
    if (!made) {
      await makeRealFolder(courseDir, dir)
      made = true
    }
    if ((await realDisk.lstat(target)) !== null) {
      if (await copied(target, file.size)) count++
      continue
    }
    const bytes = await readIfUnchanged(isAbsolute(file.file) ? file.file : join(courseDir, file.file), file.sha256, sha256Hex)
    if (!bytes) continue
    if (!(await exclusive(target, bytes))) {
      if (await copied(target, bytes.length)) count++
      continue
    }
    await exclusive(reasonFile, jsonText({file: file.file, sha256: file.sha256, reason: file.reason}))
    count++
    now++
  }
  return {quarantined: count, now}
}

export async function runExtract(options: OpenCourseOptions & ExtractSettings): Promise<{result: RunExtractResult; warnings: string[]}> {
  options.onProgress?.('loading the course')
  // canon is not used: it is only checked, with every refusal of a full read, and not turned into a model
  const {course, warnings} = await openCourse({...options, recover: true, canon: false})
  await checkCanon(course.files.canon, {maxDepth: options.maxDepth})
  const extraction = await extractFor(course, options, options.cwd)
  options.onProgress?.('writing .wicker/extract.json and the quarantine')
  const paths = wickerPaths(course.dir)
  await makeRealFolder(course.dir, paths.root)
  // typed as the schema preview reads it back with (and that reads it back as an Extraction): the two cannot drift apart
  const cache: z.input<typeof extractCacheSchema> = {kind: 'wicker/extract', version: EXTRACT_FILE_VERSION, createdAt: new Date().toISOString(), ...extraction}
  // in pieces, one candidate to a line: the text of 100,000 baskets is never held whole (nor twice, as bytes)
  await writeFileAtomic(paths.extract, jsonPieces(cache))
  const {quarantined, now} = await quarantine(extraction, course.dir, paths.quarantine)
  return {
    result: {
      files: extraction.counts,
      formats: extraction.formats,
      candidates: extraction.candidates.length,
      duplicates: extraction.duplicates,
      stagingConflicts: extraction.stagingConflicts.length,
      superseded: extraction.superseded,
      repaired: extraction.candidates.filter((c) => c.repaired).length,
      invalid: extraction.candidates.filter((c) => c.invalid).length,
      problems: extraction.problems,
      output: paths.extract,
      quarantined,
      quarantinedNow: now,
      fromLegoPairs: options.fromLegoPairs ? extraction.candidates.filter((c) => c.sources.some((s) => s.format === 'lego-pairs')).length : null,
    },
    warnings,
  }
}
