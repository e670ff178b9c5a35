import {randomUUID} from 'node:crypto'
import {hostname} from 'node:os'
import {dirname, join} from 'node:path'

import {errnoOf, InputError, ioError, UsageError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {SHA256_HEX} from '../schemas/sha256.js'
import {idempotencyRecordSchema, type IdempotencyRecord, type JsonValue} from '../schemas/idempotency.js'
import {jsonText, writeFileAtomic} from '../store/atomic-write.js'
import {realDisk} from '../store/disk.js'
import {isStale, ownTokens, selfIdentity} from '../store/lock-owners.js'
import {wickerPaths} from '../store/paths.js'
import {readJsonCache} from '../store/read-json.js'
import {makeRealFolder} from '../store/wicker-folder.js'

/**
 * Idempotency-Key for uploads (IETF draft "The Idempotency-Key HTTP Header Field"): the first
 * request with a key is answered and its answer stored; a retry with the same key and body gets the
 * stored answer, with another body a 422, and while the first is still being answered a 409. Keys
 * are kept by their sha256 (a key is never a file name), on disk, so they hold across a restart:
 * .wicker/serve-idempotency/<sha256 of the key>/<n>.json, one file per answer attempt. An in-flight
 * marker names its process as a lock does (pid, boot id, pid namespace, start time): one left by a
 * process that is gone has expired, and the key is answered afresh in generation n+1, a name created
 * exclusively, so that of many processes finding the same marker expired exactly one answers it.
 */

export type Begin = {state: 'new'; expired: boolean} | {state: 'replay'; response: JsonValue} | {state: 'conflict'} | {state: 'in-flight'}

/** What a key may be: 1–255 of the characters of UUIDs, ULIDs and base64 (the draft's keys are short opaque strings). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._~:+/=-]{1,255}$/


export function checkIdempotencyKey(key: string): void {
  if (IDEMPOTENCY_KEY.test(key)) return
  throw new UsageError({
    code: 'E_IDEMPOTENCY_KEY',
    message: `The Idempotency-Key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)} is not a valid key: it must be 1 to 255 characters of A–Z, a–z, 0–9 and . _ ~ : + / = -.`,
    hint: 'Send a fresh UUID as the Idempotency-Key of each new upload, and the same one when you retry it.',
    details: {length: key.length},
  })
}

export interface IdempotencyStore {
  begin(key: string, bodyHash: string): Promise<Begin>
  /** stores the answer to the key this process began */
  finish(key: string, response: JsonValue): Promise<void>
  /** forgets a key this process began and could not answer (a retry is then new) */
  abandon(key: string): Promise<void>
}

/** Generations a key's folder may hold before begin gives up (each is one answer attempt of a process that died). */
const MAX_GENERATIONS = 1_000_000

export function idempotencyStore(courseDir: string): IdempotencyStore {
  const root = wickerPaths(courseDir).serveIdempotency
  /** the marker this process holds for each key it began, and the file it is in */
  const held = new Map<string, {record: IdempotencyRecord; file: string}>()
  const folderOf = (key: string) => {
    checkIdempotencyKey(key)
    const keyHash = sha256Hex(key)
    return {keyHash, dir: join(root, keyHash)}
  }
  const generationFile = (dir: string, n: number) => join(dir, `${n}.json`)

  const read = async (file: string): Promise<IdempotencyRecord | null> => {
    const got = await readJsonCache(file, idempotencyRecordSchema, {noFollow: true})
    if (got === null || got.ok) return got?.value ?? null
    throw new InputError({
      code: 'E_IDEMPOTENCY_RECORD',
      message: `The idempotency record ${file} cannot be used: ${got.problem}.`,
      hint: `wicker writes these files whole, so this one was changed by hand: remove ${dirname(file)} (its key is then answered afresh).`,
      details: {file},
    })
  }

  /** The newest generation of a key: each answer attempt is `<n>.json`, one past the one it found expired. */
  const newest = async (dir: string): Promise<number> => {
    const names = await realDisk.readdir(dir).catch((error: unknown) => {
      if (errnoOf(error) === 'ENOENT') return []
      throw ioError(error, dir, 'list')
    })
    let top = 0
    for (const name of names) {
      const match = /^([1-9]\d{0,6})\.json$/.exec(name)
      if (match) top = Math.max(top, Number(match[1]))
    }
    return top
  }

  return {
    async begin(key, bodyHash) {
      if (!SHA256_HEX.test(bodyHash)) throw new Error(`bug: body hash ${bodyHash} is not a sha256`)
      const {keyHash, dir} = folderOf(key)
      await makeRealFolder(courseDir, dir)
      let expired = false
      for (let round = 0; round < 20; round++) {
        const top = await newest(dir)
        if (top > 0) {
          const record = await read(generationFile(dir, top))
          if (record === null) continue // abandoned meanwhile
          if (record.bodyHash !== bodyHash) return {state: 'conflict'}
          if (record.state === 'done') return {state: 'replay', response: (record.response ?? null) as JsonValue}
          if (!isStale(record.owner)) return {state: 'in-flight'}
          expired = true
        }
        if (top >= MAX_GENERATIONS) return {state: 'in-flight'}
        // a new generation is a new name, made exclusively: of all who found the same one expired, one wins
        const owner = {lockId: randomUUID(), pid: process.pid, host: hostname(), command: 'wicker serve', startedAt: new Date().toISOString(), ...selfIdentity()}
        const record: IdempotencyRecord = {kind: 'wicker/serve-idempotency', version: 1, keyHash, bodyHash, state: 'in-flight', owner}
        const file = generationFile(dir, top + 1)
        ownTokens.add(owner.lockId)
        try {
          await writeFileAtomic(file, jsonText(record), {replace: false})
        } catch (error) {
          ownTokens.delete(owner.lockId)
          if (errnoOf(error) !== 'EEXIST') throw error
          continue // another process made that generation first: look at it
        }
        held.set(key, {record, file})
        // the expired generations below are no one's now
        for (let n = top; n >= 1 && expired; n--) await realDisk.unlink(generationFile(dir, n)).catch(() => undefined)
        return {state: 'new', expired}
      }
      return {state: 'in-flight'}
    },

    async finish(key, response) {
      folderOf(key)
      const mine = held.get(key)
      if (!mine) throw new Error(`bug: finish of an idempotency key this process did not begin`)
      const done: IdempotencyRecord = {...mine.record, state: 'done', response, finishedAt: new Date().toISOString()}
      await writeFileAtomic(mine.file, jsonText(done))
      held.delete(key)
      ownTokens.delete(mine.record.owner.lockId)
    },

    async abandon(key) {
      folderOf(key)
      const mine = held.get(key)
      if (!mine) return
      held.delete(key)
      ownTokens.delete(mine.record.owner.lockId)
      await realDisk.unlink(mine.file).catch(() => undefined)
    },
  }
}
