import type {Dirent} from 'node:fs'
import {lstat, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {readContainer} from '../formats/containers.js'
import {phraseKeys, readPhrases} from '../formats/phrases.js'
import type {Course} from '../course/model.js'
import {errnoOf, ioError, WickerError} from '../errors.js'
import {launchName} from '../extract/candidate.js'
import {EXTRACT_DEFAULTS} from '../extract/run.js'
import {decodeStaging} from '../staging/decode.js'
import {refusalOf} from '../staging/inspect.js'
import {readStagingFile, StagingChanged} from '../staging/read.js'
import {scanStaging, type StagingEntry} from '../staging/scan.js'
import {writeFileAtomic} from '../store/atomic-write.js'
import type {Packet} from '../segments/packets.js'
import {realDisk} from '../store/disk.js'
import {readCourseFile} from '../store/read-file.js'

/**
 * An agent's output is checked before it goes anywhere near staging: it must be JSON (fences and
 * prose around it are fine) holding a readable basket for every LEGO of the packet. It then goes
 * into staging atomically, under a name that is never reused, and never over an existing file.
 */
export function checkOutput(bytes: Uint8Array, packet: Packet, course: Course): Promise<{valid: true; json: unknown} | {valid: false; reason: string}> {
  return decodeStaging(bytes, {repair: false}).then((decoded) => {
    if (!decoded.ok) return {valid: false as const, reason: decoded.message}
    if (decoded.value === null || typeof decoded.value !== 'object') return {valid: false as const, reason: 'the output is not a JSON object'}
    const refused = refusalOf(decoded.value, decoded.json, {maxDepth: EXTRACT_DEFAULTS.maxDepth})
    if (refused) return {valid: false as const, reason: refused}
    const container = readContainer(decoded.value, {name: `${packet.id}.json`})
    if (!container) return {valid: false as const, reason: 'no basket container in the output'}
    const keys = phraseKeys(course.knownLanguage, course.targetLanguage)
    const found = new Map(container.baskets.filter((b) => b.id).map((b) => [b.id!, b]))
    for (const lego of packet.legos) {
      const basket = found.get(lego.id)
      if (!basket) return {valid: false as const, reason: `no basket for ${lego.id}`}
      const read = readPhrases(basket.phrases, basket.order, keys)
      if (read.problems.length > 0) return {valid: false as const, reason: `${lego.id}: ${read.problems[0]!.message}`}
      if (read.phrases.length === 0 || read.phrases.some((p) => p.known.trim() === '' || p.target.trim() === '')) return {valid: false as const, reason: `${lego.id}: no phrase, or an empty side`}
    }
    return {valid: true as const, json: decoded.value}
  })
}

/**
 * What the agent left at its output path (work/<packet>__<attempt>.json), read by the course-file
 * rule (store/read-file.ts): a regular file only, opened without following a symlink and without
 * blocking on a FIFO, refused over the size cap (WICKER_MAX_FILE_BYTES) before a byte is read.
 * Anything else there (a FIFO, a symlink, a folder, a file too large) is `refused` with a message
 * naming it: a failed attempt, never a hang and never a crash of launch.
 */
export type WorkOutput = {kind: 'none'} | {kind: 'bytes'; bytes: Buffer} | {kind: 'refused'; message: string}

export async function readWorkOutput(file: string): Promise<WorkOutput> {
  try {
    return {kind: 'bytes', bytes: await readCourseFile(file, {noFollow: true})}
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return {kind: 'none'}
    if (error instanceof WickerError) return {kind: 'refused', message: `the output file was refused: ${error.message}`}
    throw error
  }
}

export {stagedName} from '../schemas/run-plan.js'

/** Writes into staging atomically, never replacing a file (temp file, fsync, hard link). */
export async function stageOutput(dir: string, name: string, text: string | Uint8Array): Promise<string> {
  await realDisk.mkdir(dir).catch((error) => {
    throw ioError(error, dir, 'create')
  })
  const target = join(dir, name)
  await writeFileAtomic(target, text, {replace: false})
  return target
}

/**
 * A run's staged outputs by packet, newest attempt first, as extract sees them: found by the same
 * scan (staging/scan.ts: symlinks, FIFOs and other non-files are never listed, temp files neither),
 * in staging or consumed into .applied/<tx>/. `highest` is the highest attempt number of any name
 * of the run's form there, listed or not (a FIFO or symlink someone left under such a name): the
 * next attempt is numbered past it, so its output never meets a name that is taken.
 */
export interface StagedOutputs {
  byPacket: Map<string, StagingEntry[]>
  highest: Map<string, number>
}

export async function stagedOutputs(staging: string | readonly string[], courseDir: string, run: string): Promise<StagedOutputs> {
  const dirs: string[] = []
  for (const dir of typeof staging === 'string' ? [staging] : staging) dirs.push(dir, ...(await appliedFolders(dir)))
  const byPacket = new Map<string, StagingEntry[]>()
  const highest = new Map<string, number>()
  const scan = await scanStaging(dirs, courseDir)
  for (const path of [...scan.files.map((f) => f.path), ...scan.skipped.map((s) => s.path)]) {
    const name = launchName(path)
    if (name && name.run === run) highest.set(name.packet, Math.max(highest.get(name.packet) ?? 0, name.attempt))
  }
  for (const entry of scan.files) {
    const name = launchName(entry.path)
    if (!name || name.run !== run) continue
    byPacket.set(name.packet, [...(byPacket.get(name.packet) ?? []), entry])
  }
  const attempt = (e: StagingEntry) => launchName(e.path)?.attempt ?? 0
  for (const files of byPacket.values()) files.sort((a, b) => attempt(b) - attempt(a))
  return {byPacket, highest}
}

/** The real folders .applied/<tx>/ of a staging folder (a merge moves the files it consumed there). */
async function appliedFolders(dir: string): Promise<string[]> {
  const applied = join(dir, '.applied')
  try {
    if (!(await lstat(applied)).isDirectory()) return []
  } catch (error) {
    if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return []
    throw ioError(error, applied, 'look at')
  }
  let entries: Dirent[]
  try {
    entries = await readdir(applied, {withFileTypes: true})
  } catch (error) {
    throw ioError(error, applied, 'list')
  }
  return entries.filter((e) => e.isDirectory()).map((e) => join(applied, e.name))
}

/**
 * A packet is done when a valid output of it is in staging (or was consumed by a merge), read
 * exactly as extract reads it (staging/read.ts: no symlink followed, no FIFO opened blocking, the
 * same size cap), so launch never calls "done" what extract would refuse.
 */
export async function isDone(staged: StagedOutputs, packet: Packet, course: Course): Promise<StagingEntry | null> {
  for await (const entry of validOutputs(staged, packet, course)) return entry
  return null
}

/** Each valid output of a packet in staging, newest attempt first, read by isDone's rule. */
export async function* validOutputs(staged: StagedOutputs, packet: Packet, course: Course): AsyncGenerator<StagingEntry> {
  for (const entry of staged.byPacket.get(packet.id) ?? []) {
    if (entry.size > EXTRACT_DEFAULTS.maxFileSize) continue
    let bytes: Buffer | 'being-written'
    try {
      bytes = await readStagingFile(entry)
    } catch (error) {
      if (error instanceof StagingChanged) continue
      throw error
    }
    if (bytes !== 'being-written' && (await checkOutput(bytes, packet, course)).valid) yield entry
  }
}
