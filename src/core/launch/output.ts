import {existsSync} from 'node:fs'
import {mkdir, readdir} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {readContainer} from '../formats/containers.js'
import {phraseKeys, readPhrases} from '../formats/phrases.js'
import type {Course} from '../course/model.js'
import {ioError} from '../errors.js'
import {decodeStaging} from '../staging/decode.js'
import {refusalOf} from '../staging/inspect.js'
import {EXTRACT_DEFAULTS} from '../extract/run.js'
import {writeFileAtomic} from '../store/atomic-write.js'
import type {Packet} from '../segments/packets.js'
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

export function stagedName(run: string, packet: string, attempt: number): string {
  return `${run}__${packet}__${attempt}.json`
}

/** Writes into staging atomically, never replacing a file (temp file, fsync, hard link). */
export async function stageOutput(dir: string, name: string, text: string): Promise<string> {
  await mkdir(dir, {recursive: true}).catch((error) => {
    throw ioError(error, dir, 'create')
  })
  const target = join(dir, name)
  await writeFileAtomic(target, text, {replace: false})
  return target
}

/** A run's staged outputs by packet, newest attempt first: in staging, or consumed into .applied/<tx>/. */
export async function stagedOutputs(dir: string, run: string): Promise<Map<string, string[]>> {
  const prefix = `${run}__`
  const byPacket = new Map<string, string[]>()
  const add = (folder: string, name: string) => {
    if (!name.startsWith(prefix) || !name.endsWith('.json')) return
    const packet = name.slice(prefix.length).split('__')[0]!
    byPacket.set(packet, [...(byPacket.get(packet) ?? []), join(folder, name)])
  }
  if (!existsSync(dir)) return byPacket
  for (const name of await readdir(dir)) add(dir, name)
  const applied = join(dir, '.applied')
  if (existsSync(applied)) for (const tx of await readdir(applied)) for (const name of await readdir(join(applied, tx)).catch(() => [] as string[])) add(join(applied, tx), name)
  for (const files of byPacket.values()) files.sort((a, b) => attemptOf(basename(b)) - attemptOf(basename(a)))
  return byPacket
}

function attemptOf(name: string): number {
  return Number(/__(\d+)\.json$/.exec(name)?.[1] ?? 0)
}

/** A packet is done when a valid output of it is in staging (or was consumed by a merge). */
export async function isDone(staged: Map<string, string[]>, packet: Packet, course: Course): Promise<string | null> {
  for (const file of staged.get(packet.id) ?? []) {
    if ((await checkOutput(await readCourseFile(file), packet, course)).valid) return file
  }
  return null
}
