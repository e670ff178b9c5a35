import {randomUUID} from 'node:crypto'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {errnoOf, InputError, UsageError} from '../errors.js'
import {sha256Hex} from '../hash.js'
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
 * are kept by their sha256 (a key is never a file name), on disk, so they hold across a restart. An
 * in-flight marker names its process as a lock does (pid, boot id, pid namespace, start time): one
 * left by a process that is gone has expired, and the key is answered afresh.
 */

export type Begin = {state: 'new'; expired: boolean} | {state: 'replay'; response: JsonValue} | {state: 'conflict'} | {state: 'in-flight'}

/** What a key may be: 1–255 of the characters of UUIDs, ULIDs and base64 (the draft's keys are short opaque strings). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._~:+/=-]{1,255}$/

const SHA256 = /^[0-9a-f]{64}$/

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

export function idempotencyStore(courseDir: string): IdempotencyStore {
  const dir = wickerPaths(courseDir).serveIdempotency
  /** the marker this process holds for each key it began */
  const held = new Map<string, IdempotencyRecord>()
  const fileOf = (key: string) => {
    checkIdempotencyKey(key)
    const keyHash = sha256Hex(key)
    return {keyHash, file: join(dir, `${keyHash}.json`)}
  }

  const read = async (file: string): Promise<IdempotencyRecord | null> => {
    const got = await readJsonCache(file, idempotencyRecordSchema, {noFollow: true})
    if (got === null || got.ok) return got?.value ?? null
    throw new InputError({
      code: 'E_IDEMPOTENCY_RECORD',
      message: `The idempotency record ${file} cannot be used: ${got.problem}.`,
      hint: `wicker writes these files whole, so this one was changed by hand: remove ${file} (its key is then answered afresh).`,
      details: {file},
    })
  }

  /** Moves an expired marker out of the way, if it is still the one judged expired; false when another process got there first. */
  const clearExpired = async (file: string, expired: IdempotencyRecord): Promise<boolean> => {
    const aside = `${file}.${randomUUID()}.expired`
    try {
      await realDisk.rename(file, aside)
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return true // cleared by another process: try again
      throw error
    }
    const moved = await readJsonCache(aside, idempotencyRecordSchema, {noFollow: true})
    if (moved?.ok && moved.value.owner.lockId !== expired.owner.lockId) {
      // another process replaced the marker meanwhile: give its own back (never over a newer one)
      await realDisk.link(aside, file).catch(() => undefined)
      await realDisk.unlink(aside).catch(() => undefined)
      return false
    }
    await realDisk.unlink(aside).catch(() => undefined)
    return true
  }

  return {
    async begin(key, bodyHash) {
      if (!SHA256.test(bodyHash)) throw new Error(`bug: body hash ${bodyHash} is not a sha256`)
      const {keyHash, file} = fileOf(key)
      await makeRealFolder(courseDir, dir)
      let expired = false
      for (let round = 0; round < 20; round++) {
        const owner = {lockId: randomUUID(), pid: process.pid, host: hostname(), command: 'wicker serve', startedAt: new Date().toISOString(), ...selfIdentity()}
        const marker: IdempotencyRecord = {kind: 'wicker/serve-idempotency', version: 1, keyHash, bodyHash, state: 'in-flight', owner}
        ownTokens.add(owner.lockId)
        try {
          await writeFileAtomic(file, jsonText(marker), {replace: false})
          held.set(key, marker)
          return {state: 'new', expired}
        } catch (error) {
          ownTokens.delete(owner.lockId)
          if (errnoOf(error) !== 'EEXIST') throw error
        }
        const record = await read(file)
        if (record === null) continue // finished and abandoned meanwhile
        if (record.bodyHash !== bodyHash) return {state: 'conflict'}
        if (record.state === 'done') return {state: 'replay', response: (record.response ?? null) as JsonValue}
        if (!isStale(record.owner)) return {state: 'in-flight'}
        if (!(await clearExpired(file, record))) return {state: 'in-flight'}
        expired = true
      }
      return {state: 'in-flight'}
    },

    async finish(key, response) {
      const {file} = fileOf(key)
      const marker = held.get(key)
      if (!marker) throw new Error(`bug: finish of an idempotency key this process did not begin`)
      const done: IdempotencyRecord = {...marker, state: 'done', response, finishedAt: new Date().toISOString()}
      await writeFileAtomic(file, jsonText(done))
      held.delete(key)
      ownTokens.delete(marker.owner.lockId)
    },

    async abandon(key) {
      const {file} = fileOf(key)
      const marker = held.get(key)
      if (!marker) return
      const record = await read(file).catch(() => null)
      if (record?.owner.lockId === marker.owner.lockId && record.state === 'in-flight') await realDisk.unlink(file).catch(() => undefined)
      held.delete(key)
      ownTokens.delete(marker.owner.lockId)
    },
  }
}
