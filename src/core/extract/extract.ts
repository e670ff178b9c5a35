import {basename, join, relative} from 'node:path'

import {languageSense, type LanguageSense} from '../course/language-sense.js'
import {intendedLegoId, LEGO_ID, LEGO_ID_FORM} from '../ids.js'
import type {Course, TextPair} from '../course/model.js'
import {BlockedError} from '../errors.js'
import {readContainer, unread, type FileHints, type FormatId} from '../formats/containers.js'
import {sha256Hex} from '../hash.js'
import {isObject} from '../json.js'
import {phraseKeys, readPhrases, type PhraseKeys} from '../formats/phrases.js'
import type {ProblemKind} from '../schemas/extract-cache.js'
import {packetBasesSchema} from '../schemas/packet.js'
import {PACKET_ID, RUN_NAME} from '../schemas/run-plan.js'
import {decodeStaging} from '../staging/decode.js'
import {refusalAt} from '../staging/inspect.js'
import {salvageStaging} from '../staging/repair.js'
import {readStagingFileSync, StagingChanged} from '../staging/read.js'
import {sameStaging, scanStaging, stagingFingerprint, type ScanResult, type StagingEntry} from '../staging/scan.js'
import {realDisk} from '../store/disk.js'
import {confine, within} from '../store/inside.js'
import {runPaths, wickerPaths} from '../store/paths.js'
import {readJsonCache} from '../store/read-json.js'
import {tidy, units} from '../text/normalize.js'
import {launchName, plainlyTidy, tidyPhrasesHash, type Candidate, type Source} from './candidate.js'
import {formatCounts} from './counts.js'
import {progressEvery, type OnProgress} from '../progress.js'

export type {ProblemKind} from '../schemas/extract-cache.js'

/** Problems that are notes: what was read was read whole (an exchanged pair fixed, an id inferred from
 *  the LEGO text, an empty optional slot dropped, a LEGO text differing from lego_pairs). A file with
 *  only these may be consumed by a merge; any other problem keeps it in staging. */
export const NOTE_KINDS: ReadonlySet<ProblemKind> = new Set(['swapped-fixed', 'lego-mismatch', 'inferred-id', 'empty-slot'])

/** Problems that make a whole file unusable. */
const BAD: ReadonlySet<ProblemKind> = new Set(['invalid-json', 'encoding', 'empty', 'hostile', 'too-large', 'symlink'])

export interface Problem {
  file: string
  kind: ProblemKind
  message: string
  basket?: string
}

export interface FileReport {
  file: string
  /** the staging folder it was found under (relative to the course folder when inside it) */
  stagingDir: string
  sha256: string | null
  size: number
  status: 'used' | 'skipped' | 'bad'
  format: FormatId | null
  /** for a `mixed` file, each container that read part of it */
  parts?: FormatId[]
  baskets: number
  reason: string | null
}

export interface StagingConflict {
  id: string
  variants: Array<{hash: string; phrases: number; phrasesData: TextPair[]; sources: Source[]}>
}

export interface Extraction {
  course: string
  dirs: string[]
  /** sha256 over every scanned file's name, size and mtime: tells whether staging changed */
  fingerprint: string
  /** the settings it was read with: merge --plan reads staging again with the same ones */
  options: {
    repair: boolean
    maxRepairSize: number
    maxFileSize: number
    maxDepth: number
    /**
     * only with --from-lego-pairs: lego_pairs.json, read as a basket source, by name and hash. Absent
     * otherwise (not false), so a plan made without the flag is byte for byte what it always was.
     */
    legoPairs?: {file: string; sha256: string}
  }
  files: FileReport[]
  counts: {total: number; used: number; skipped: number; bad: number}
  formats: Partial<Record<FormatId, number>>
  /** one per LEGO id, staging conflicts excluded */
  candidates: Candidate[]
  /** baskets found again with the same content (collapsed into one candidate) */
  duplicates: number
  stagingConflicts: StagingConflict[]
  /** earlier launch attempts replaced by a later one of the same packet */
  superseded: number
  problems: Problem[]
}

export interface ExtractOptions {
  course: Course
  /** absolute staging folders */
  dirs: string[]
  repair: boolean
  /** largest JSON text --repair salvages, in bytes */
  maxRepairSize: number
  maxFileSize: number
  maxDepth: number
  /** called after each scan, before its files are read: lets a test change staging at the worst moment */
  afterScan?: (attempt: number) => Promise<void>
  /** one 'reading staging' step, counted in files */
  onProgress?: OnProgress
}

export interface Found {
  id: string
  phrases: TextPair[]
  hash: string
  source: Source
  repaired: boolean
  base: string | null
  invalid: string | null
  attempt: {run: string; packet: string; attempt: number} | null
}

export function relativeTo(courseDir: string, path: string): string {
  return within(courseDir, path) ? relative(courseDir, path) : path
}

/** Why an id is not a LEGO id, in words a person can act on. */
function idProblem(id: string): string {
  const shown = JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id)
  const near = intendedLegoId(id)
  if (near) {
    const nfkc = id.normalize('NFKC').trim().toUpperCase()
    const why = id.trim() !== id ? 'surrounding white space' : id.normalize('NFKC') !== id ? 'a different Unicode form' : nfkc !== id ? 'letter case' : 'extra zero-padding (each number has one spelling)'
    return `${shown} is not a LEGO id: it differs from ${near} by ${why}, so it could collide with it; refused`
  }
  return `${shown} is not a LEGO id (${LEGO_ID_FORM}); refused`
}

class Packets {
  private readonly cache = new Map<string, Record<string, string>>()
  constructor(private readonly courseDir: string) {}

  async base(run: string, packet: string, id: string): Promise<string | null> {
    const key = `${run}/${packet}`
    if (!this.cache.has(key)) {
      let bases: Record<string, string> = {}
      const file = runPaths(join(wickerPaths(this.courseDir).runs, run)).packet(packet)
      // only the course's own packet, by names wicker makes: a symlinked .wicker/ or run folder, or a
      // staging file named `..__x__1.json`, could lead anywhere; the guarded read refuses a FIFO
      if (RUN_NAME.test(run) && PACKET_ID.test(packet) && (await confine(realDisk, this.courseDir, file).catch(() => null)) !== null) {
        // no packet, or one that fails its schema (an agent's own file, an old or damaged run): no base,
        // so a regenerated basket is a conflict to look at, never an update taken on a forged hash
        const read = await readJsonCache(file, packetBasesSchema)
        if (read?.ok && read.value.id === packet && read.value.run === run) bases = read.value.bases
      }
      this.cache.set(key, bases)
    }
    const bases = this.cache.get(key)!
    return Object.hasOwn(bases, id) && typeof bases[id] === 'string' ? bases[id]! : null
  }
}

/** What reading a file needs from the course, built once per extraction (or per upload check). */
export interface ReadContext {
  keys: PhraseKeys
  sense: LanguageSense
  packets: Packets
  seedLegos: FileHints['seedLegos']
}

export function readContext(course: Course): ReadContext {
  const bySeed = new Map(course.seeds.map((s) => [s.id, s.legos]))
  return {
    keys: phraseKeys(course.knownLanguage, course.targetLanguage),
    sense: languageSense(course),
    packets: new Packets(course.dir),
    seedLegos: (seed: string) => bySeed.get(seed),
  }
}

/** The settings one file is read with (extract's, or an upload's). */
export type ReadSettings = Pick<ExtractOptions, 'course' | 'repair' | 'maxRepairSize' | 'maxFileSize' | 'maxDepth'>

/** A problem as the file reader finds it: `at` is the JSON path it is about, when there is one. */
export type FileProblem = Omit<Problem, 'file'> & {at?: string}

export interface FileRead {
  report: FileReport
  found: Found[]
  scaffolds: FormatId[]
}

/** Reads one staging file into candidate baskets, reporting everything it does not use. */
async function readOne(entry: StagingEntry, options: ExtractOptions, context: ReadContext, problems: Problem[]): Promise<FileRead> {
  const report: FileReport = {file: entry.name, stagingDir: relativeTo(options.course.dir, entry.dir), sha256: null, size: entry.size, status: 'bad', format: null, baskets: 0, reason: null}
  const sink = (p: FileProblem) => {
    const {at: _at, ...rest} = p
    problems.push({file: entry.name, ...rest})
  }
  if (entry.size > options.maxFileSize) return failed(report, sink, 'too-large', `${entry.size} bytes, over the ${options.maxFileSize}-byte cap (--max-file-size)`)
  const bytes = readStagingFileSync(entry)
  if (bytes === 'being-written') return failed(report, sink, 'being-written', 'changed since staging was scanned: still being written; it is read next time')
  return readFileBytes(report, basename(entry.path), bytes, options, context, sink)
}

function failed(report: FileReport, sink: (p: FileProblem) => void, kind: ProblemKind, message: string, at?: string): FileRead {
  report.status = BAD.has(kind) ? 'bad' : 'skipped'
  report.reason = message
  sink({kind, message, ...(at ? {at} : {})})
  return {report, found: [], scaffolds: []}
}

/**
 * The bytes of one staging file (named `name`, its base name) → candidate baskets, every problem
 * told to `sink`: the one reader of a basket file, for extract (from disk) and for an upload
 * (serve/intake.ts, before anything is written), so both refuse and note exactly the same things.
 */
export async function readFileBytes(report: FileReport, name: string, bytes: Buffer, options: ReadSettings, context: ReadContext, sink: (p: FileProblem) => void): Promise<FileRead> {
  const fail = (kind: ProblemKind, message: string, at?: string) => failed(report, sink, kind, message, at)
  if (bytes.length > options.maxFileSize) return fail('too-large', `${bytes.length} bytes, over the ${options.maxFileSize}-byte cap (--max-file-size)`)
  report.sha256 = sha256Hex(bytes)
  report.size = bytes.length

  let decoded = await decodeStaging(bytes, {repair: false})
  if (!decoded.ok && decoded.kind === 'invalid-json' && options.repair) decoded = await salvageStaging(bytes, {maxRepairSize: options.maxRepairSize})
  if (!decoded.ok) {
    if (decoded.kind === 'invalid-json' && !/[[{]/.test(bytes.toString('utf8'))) return fail('not-baskets', 'no JSON in it: not a basket file')
    return fail(decoded.kind, decoded.message)
  }
  if (decoded.value === null || typeof decoded.value !== 'object') return fail('not-baskets', `the JSON is ${decoded.value === null ? 'null' : `a ${typeof decoded.value}`}: not a basket file`, '$')
  const refused = refusalAt(decoded.value, decoded.json, {maxDepth: options.maxDepth})
  if (refused) return fail('hostile', refused.message, refused.path)
  const container = readContainer(decoded.value, {name, seedLegos: context.seedLegos})
  if (!container) {
    // baskets one level down in an unknown wrapper are named, not passed over as "not a basket file"
    const hidden = isObject(decoded.value) ? unread(decoded.value) : []
    if (hidden.length > 0) return fail('unread', hidden.map((p) => `${p.path}: ${p.message}`).join('; '), hidden[0]!.path)
    return fail('not-baskets', 'no basket container recognised (a swarm upload, a report…): not a basket file')
  }
  report.format = container.format
  if (container.format === 'mixed') report.parts = container.parts
  if (decoded.repaired) sink({kind: 'repaired', message: decoded.notes.at(-1) ?? 'repaired with jsonrepair'})
  for (const p of container.problems) sink({kind: p.kind ?? 'bad-basket', message: `${p.path}: ${p.message}`, ...(p.basket ? {basket: p.basket} : {}), at: p.path})

  const attempt = launchName(report.file)
  const found: Found[] = []
  const scaffolds: FormatId[] = []
  for (const raw of container.baskets) {
    if (raw.id === null) {
      sink({kind: 'bad-id', message: `${raw.path}: no LEGO id, and the file name does not give one; refused`, at: raw.path})
      continue
    }
    if (!LEGO_ID.test(raw.id)) {
      sink({kind: 'bad-id', message: `${raw.path}: ${idProblem(raw.id)}`, at: raw.path})
      continue
    }
    const id = raw.id
    const read = readPhrases(raw.phrases, raw.order, context.keys)
    if (read.scaffold) scaffolds.push(read.scaffold)
    for (const p of read.problems) sink({kind: 'bad-phrase', basket: id, at: raw.path, message: `${id}${p.index >= 0 ? `, phrase ${p.index}` : ''}: ${p.message}`})
    if (read.dropped.length > 0) sink({kind: 'empty-slot', basket: id, at: raw.path, message: `${id}: ${read.dropped.length} empty optional slot(s) dropped (${read.dropped.join(', ')}); the basket is kept`})
    // tidied in place: readPhrases made each pair afresh, so no second object per phrase
    const phrases = read.phrases
    for (const p of phrases) {
      if (!plainlyTidy(p.known)) p.known = tidy(p.known)
      if (!plainlyTidy(p.target)) p.target = tidy(p.target)
    }
    for (let i = 0; i < phrases.length; i++) {
      const p = phrases[i]!
      // Swapped sides are fixed only when each side is clearly the other language.
      if (context.sense.mayBeKnown(p.target) && context.sense.sideOf(p.target, units(p.target)) === 'known' && context.sense.sideOf(p.known, units(p.known)) === 'target') {
        phrases[i] = {known: p.target, target: p.known}
        sink({kind: 'swapped-fixed', basket: id, at: `${raw.path}`, message: `${id}, phrase ${i}: known and target were exchanged; fixed ("${p.known}" is the target)`})
      }
    }
    const lego = options.course.legoById.get(id)
    // equal texts are equal tidied: tidy only where they differ as written
    const differs = (a: string, b: string) => a !== b && tidy(a) !== tidy(b)
    if (raw.lego && lego && (differs(raw.lego.target, lego.target) || (raw.lego.known !== '' && differs(raw.lego.known, lego.known)))) {
      sink({kind: 'lego-mismatch', basket: id, at: raw.path, message: `${id}: the file gives the LEGO as "${raw.lego.known}" / "${raw.lego.target}"; lego_pairs says "${lego.known}" / "${lego.target}" (lego_pairs is used)`})
    }
    let invalid: string | null = null
    if (read.problems.length > 0) invalid = `${read.problems.length} phrase(s) could not be read`
    else if (phrases.length === 0) invalid = 'no phrase'
    else if (phrases.some((p) => p.known === '' || p.target === '')) invalid = 'a phrase with an empty side'
    if (invalid) sink({kind: 'invalid-basket', basket: id, message: `${id}: ${invalid}`, at: raw.path})
    const base = raw.base ?? (attempt ? await context.packets.base(attempt.run, attempt.packet, id) : null)
    found.push({id, phrases, hash: tidyPhrasesHash(phrases), source: {file: report.file, sha256: report.sha256, format: raw.form ?? raw.container, path: raw.path, lego: raw.lego ?? null}, repaired: decoded.repaired, base, invalid, attempt})
  }
  report.baskets = found.length
  // a file of slot scaffolds is read as that format (F13/F14), whatever container holds them
  if (scaffolds[0]) report.format = scaffolds[0]
  report.status = found.length > 0 ? 'used' : 'skipped'
  if (found.length === 0) report.reason = 'no usable basket'
  return {report, found, scaffolds}
}

/** Collapses identical baskets, lets a later launch attempt supersede an earlier one, and keeps real conflicts apart. */
function combine(found: Found[], problems: Problem[]): {candidates: Candidate[]; duplicates: number; superseded: number; conflicts: StagingConflict[]} {
  const byId = new Map<string, Found[]>()
  for (const f of found) {
    const list = byId.get(f.id)
    if (list) list.push(f)
    else byId.set(f.id, [f])
  }
  const candidates: Candidate[] = []
  const conflicts: StagingConflict[] = []
  let duplicates = 0
  let superseded = 0
  for (const [id, list] of byId) {
    const variants = new Map<string, Found[]>()
    for (const f of list) {
      const same = variants.get(f.hash)
      if (same) same.push(f)
      else variants.set(f.hash, [f])
    }
    duplicates += list.length - variants.size
    let kept = [...variants.values()]
    // An invalid basket (reported already) does not compete with a valid one for the same id.
    if (kept.length > 1 && kept.some((v) => v[0]!.invalid === null)) kept = kept.filter((v) => v[0]!.invalid === null)
    if (kept.length > 1) {
      // A later attempt of the same launch packet replaces an earlier one.
      const packets = new Set(list.map((f) => (f.attempt ? `${f.attempt.run}/${f.attempt.packet}` : null)))
      if (packets.size === 1 && !packets.has(null)) {
        const latest = (v: Found[]) => Math.max(...v.map((f) => f.attempt!.attempt))
        kept.sort((a, b) => latest(b) - latest(a))
        for (const old of kept.slice(1)) {
          superseded++
          problems.push({file: old[0]!.source.file, kind: 'superseded', basket: id, message: `${id}: attempt ${latest(old)} is superseded by attempt ${latest(kept[0]!)} of the same packet`})
        }
        kept = kept.slice(0, 1)
      }
    }
    if (kept.length > 1) {
      conflicts.push({id, variants: kept.map((v) => ({hash: v[0]!.hash, phrases: v[0]!.phrases.length, phrasesData: v[0]!.phrases, sources: v.map((f) => f.source)}))})
      problems.push({file: kept.map((v) => v[0]!.source.file).join(', '), kind: 'staging-conflict', basket: id, message: `${id}: ${kept.length} different versions in staging (${kept.map((v) => v.map((f) => f.source.file).join(' + ')).join(' vs ')})`})
      continue
    }
    const group = kept[0]!
    const first = group[0]!
    candidates.push({
      id,
      phrases: first.phrases,
      hash: first.hash,
      sources: group.map((f) => f.source),
      repaired: group.every((f) => f.repaired),
      base: group.find((f) => f.base)?.base ?? null,
      invalid: first.invalid,
    })
  }
  return {candidates, duplicates, superseded, conflicts}
}

/** How many times staging is scanned and read before extract gives up on a staging that keeps changing. */
export const EXTRACT_ATTEMPTS = 3

/**
 * Reads staging as one consistent whole. A merge moving consumed files into .applied/ (or an agent
 * dropping a file in) can change staging between the scan and the reads: a file that is gone or
 * replaced when read, or a scan afterwards that differs, means the reads may mix two states, so
 * staging is scanned and read again; if it keeps changing, extract stops with a clear "run again".
 */
export async function extractStaging(options: ExtractOptions): Promise<Extraction> {
  for (let attempt = 1; attempt <= EXTRACT_ATTEMPTS; attempt++) {
    const scan = await scanStaging(options.dirs, options.course.dir)
    await options.afterScan?.(attempt)
    try {
      const extraction = await extractScan(scan, options)
      const writing = new Set(extraction.problems.filter((p) => p.kind === 'being-written').map((p) => p.file))
      if (sameStaging(scan, await scanStaging(options.dirs, options.course.dir), writing)) return extraction
    } catch (error) {
      if (!(error instanceof StagingChanged)) throw error
    }
  }
  throw new BlockedError({
    code: 'E_STAGING_CHANGING',
    message: `staging is changing (a merge is moving files?): it changed while it was read, ${EXTRACT_ATTEMPTS} times in a row; nothing was written.`,
    hint: 'Run the command again once the other wicker process or agent is done.',
    details: {dirs: options.dirs, attempts: EXTRACT_ATTEMPTS},
  })
}

async function extractScan(scan: ScanResult, options: ExtractOptions): Promise<Extraction> {
  const problems: Problem[] = []
  const files: FileReport[] = []
  for (const s of scan.skipped) {
    problems.push({file: s.name, kind: s.kind, message: s.message})
    files.push({file: s.name, stagingDir: '', sha256: null, size: 0, status: s.kind === 'symlink' ? 'bad' : 'skipped', format: null, baskets: 0, reason: s.message})
  }
  const context = readContext(options.course)
  const found: Found[] = []
  // File after file, in file order: each is read whole with plain system calls (readStagingFileSync)
  const results: Array<{one: FileRead; problems: Problem[]}> = []
  const tick = progressEvery(options.onProgress, 'reading staging', scan.files.length, 50)
  for (const entry of scan.files) {
    const own: Problem[] = []
    results.push({one: await readOne(entry, options, context, own), problems: own})
    tick(results.length)
  }
  for (const {one, problems: own} of results) {
    problems.push(...own)
    files.push(one.report)
    found.push(...one.found)
  }
  const combined = combine(found, problems)
  return {
    course: options.course.code,
    dirs: options.dirs,
    fingerprint: stagingFingerprint(scan),
    options: {repair: options.repair, maxRepairSize: options.maxRepairSize, maxFileSize: options.maxFileSize, maxDepth: options.maxDepth},
    files,
    counts: {total: files.length, used: files.filter((f) => f.status === 'used').length, skipped: files.filter((f) => f.status === 'skipped').length, bad: files.filter((f) => f.status === 'bad').length},
    formats: formatCounts(files),
    candidates: combined.candidates,
    duplicates: combined.duplicates,
    stagingConflicts: combined.conflicts,
    superseded: combined.superseded,
    problems,
  }
}
