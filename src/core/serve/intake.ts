import {join} from 'node:path'

import type {Course} from '../course/model.js'
import {errnoOf} from '../errors.js'
import {NOTE_KINDS, readContext, readFileBytes, type FileProblem, type FileReport, type ProblemKind} from '../extract/extract.js'
import {EXTRACT_DEFAULTS} from '../extract/run.js'
import type {FormatId} from '../formats/containers.js'
import {sha256Hex} from '../hash.js'
import {stageOutput} from '../launch/output.js'
import {stagingNameProblem} from '../staging/names.js'
import {readIfUnchanged} from '../staging/read.js'
import {isTempName} from '../staging/scan.js'
import {STAGING_DIRS} from '../store/paths.js'
import {checkRealFolder} from '../store/wicker-folder.js'

/**
 * An upload into staging (issue 12, `wicker serve`), checked before a byte is written by the very
 * reader extract uses (extract.ts readFileBytes): what extract would quarantine, skip or mark bad
 * is refused, with each problem and the JSON path it is about, so the agent can fix it and retry.
 */

export interface UploadSettings {
  /** largest body, in bytes (extract's --max-file-size) */
  maxFileSize?: number
  maxDepth?: number
}

export interface UploadProblem {
  /** JSON path of what it is about ($ for the whole document), or null when it is the file as a whole */
  path: string | null
  kind: ProblemKind
  message: string
}

export type UploadCheck =
  | {ok: true; baskets: number; format: FormatId; notes: UploadProblem[]}
  | {ok: false; problems: UploadProblem[]}

export interface UploadInput {
  course: Course
  /** the staging file name asked for (a base name: see staging/names.ts) */
  name: string
  bytes: Buffer
  settings?: UploadSettings
}

const toUpload = (p: FileProblem): UploadProblem => ({path: p.at ?? null, kind: p.kind, message: p.message})

/**
 * Whether extract would read `bytes`, staged as `name`, whole: as a used file (not bad, not
 * skipped) with no problem but notes (NOTE_KINDS: a swapped pair fixed, an id inferred…). jsonrepair
 * is never applied: a body that needs it is refused, so what is written is what the agent sent.
 */
export async function checkUpload(input: UploadInput): Promise<UploadCheck> {
  const bad = stagingNameProblem(input.name) ?? (isTempName(input.name) ? 'the name is one staging passes over as a temp file' : null)
  if (bad) return {ok: false, problems: [{path: null, kind: 'bad-name', message: `${JSON.stringify(input.name)}: ${bad}`}]}
  const problems: FileProblem[] = []
  const report: FileReport = {file: join(STAGING_DIRS[0], input.name), stagingDir: STAGING_DIRS[0], sha256: null, size: input.bytes.length, status: 'bad', format: null, baskets: 0, reason: null}
  const settings = {
    course: input.course,
    repair: false,
    maxRepairSize: 0,
    maxFileSize: input.settings?.maxFileSize ?? EXTRACT_DEFAULTS.maxFileSize,
    maxDepth: input.settings?.maxDepth ?? EXTRACT_DEFAULTS.maxDepth,
  }
  const read = await readFileBytes(report, input.name, input.bytes, settings, readContext(input.course), (p) => problems.push(p))
  const refusals = problems.filter((p) => !NOTE_KINDS.has(p.kind))
  if (read.report.status !== 'used' || refusals.length > 0 || read.report.format === null) {
    const listed = refusals.length > 0 ? refusals : [{kind: 'not-baskets' as const, message: read.report.reason ?? 'no usable basket'}]
    return {ok: false, problems: listed.map(toUpload)}
  }
  return {ok: true, baskets: read.report.baskets, format: read.report.format, notes: problems.map(toUpload)}
}

export interface Accepted {
  /** the staging file it is in, relative to the course folder */
  file: string
  /** created: written now; existing: the same bytes were already there under that name */
  outcome: 'created' | 'existing'
  /** the name asked for, when it was taken by other bytes and the body went to its own name */
  requested: string | null
  sha256: string
  bytes: number
  baskets: number
  format: FormatId
  notes: UploadProblem[]
}

/** How many `<stem>.<n>.json` names an upload tries before it gives up (a staging folder flooded under one name). */
export const MAX_NAME_TRIES = 1000

/** `<stem>.json`, then `<stem>.2.json`, `<stem>.3.json`… */
export function nthName(name: string, n: number): string {
  return n === 1 ? name : `${name.slice(0, -'.json'.length)}.${n}.json`
}

/**
 * Checks an upload, then writes it into the course's staging folder through launch's writer
 * (stageOutput: temp file, fsync, hard link, so a file appears whole and is never replaced). A name
 * taken by the same bytes is that upload already there (nothing new is written); taken by other
 * bytes, or by anything that is not a regular file, the body goes to the next free `<stem>.<n>.json`.
 * Many processes accepting under one name at once: each distinct body lands once.
 */
export async function acceptUpload(input: UploadInput): Promise<{ok: true; accepted: Accepted} | {ok: false; problems: UploadProblem[]}> {
  const check = await checkUpload(input)
  if (!check.ok) return check
  const dir = join(input.course.dir, STAGING_DIRS[0])
  // the scan refuses a staging folder that is a symlink (scan.ts): nothing is written through one either
  await checkRealFolder(input.course.dir, dir)
  const sha256 = sha256Hex(input.bytes)
  for (let n = 1; n <= MAX_NAME_TRIES; n++) {
    const name = nthName(input.name, n)
    const result = {file: join(STAGING_DIRS[0], name), requested: n === 1 ? null : input.name, sha256, bytes: input.bytes.length, baskets: check.baskets, format: check.format, notes: check.notes}
    try {
      await stageOutput(dir, name, input.bytes)
      return {ok: true, accepted: {...result, outcome: 'created'}}
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error
    }
    if ((await readIfUnchanged(join(dir, name), sha256, sha256Hex)) !== null) return {ok: true, accepted: {...result, outcome: 'existing'}}
  }
  return {ok: false, problems: [{path: null, kind: 'bad-name', message: `${JSON.stringify(input.name)}: ${MAX_NAME_TRIES} files of that stem are in staging already; upload under another name`}]}
}
