import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'

import {BlockedError, UsageError} from '../../../src/core/errors.js'
import {createToken, listTokens, matchToken, readTokens, revokeToken, verifyToken} from '../../../src/core/serve/tokens.js'
import {tempDir} from '../../helpers/fs.js'

// every hash comparison goes through crypto.timingSafeEqual: counted here, behaviour unchanged
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>()
  return {...real, timingSafeEqual: vi.fn(real.timingSafeEqual)}
})
const {timingSafeEqual} = await import('node:crypto')

const HOUR = 3_600_000
const T0 = new Date('2026-03-04T10:00:00.000Z')
const at = (ms: number) => new Date(T0.getTime() + ms)

async function courseWith(...runs: Array<string | null>) {
  const dir = tempDir()
  const made = []
  for (const run of runs) made.push((await createToken(dir, {course: 'plo_for_tam', run, expiresMs: 12 * HOUR, now: T0})).result)
  return {dir, made}
}

describe('verifyToken', () => {
  it('accepts a token of this course while it lives, and shows it without its hash', async () => {
    const {dir, made} = await courseWith(null)
    const verdict = await verifyToken(dir, made[0]!.token, {course: 'plo_for_tam', run: 'run-a', now: at(HOUR)})
    expect(verdict).toEqual({ok: true, token: {id: made[0]!.id, course: 'plo_for_tam', run: null, createdAt: T0.toISOString(), expiresAt: at(12 * HOUR).toISOString(), revokedAt: null, state: 'active'}})
  })

  it('401: a well-formed token wicker never made, and text that is no token at all', async () => {
    const {dir, made} = await courseWith(null)
    const forged = `wkr_${'A'.repeat(43)}`
    expect(await verifyToken(dir, forged, {now: at(1)})).toEqual({ok: false, status: 401, reason: 'unknown token'})
    for (const junk of ['', 'Bearer', made[0]!.token.slice(0, -1), `${made[0]!.token}x`, made[0]!.token.replace('wkr_', 'wkx_')]) {
      expect(await verifyToken(dir, junk, {now: at(1)}), junk).toMatchObject({ok: false, status: 401})
    }
  })

  it('401 once revoked, from the moment of the revoke', async () => {
    const {dir, made} = await courseWith(null, null)
    await revokeToken(dir, made[0]!.id, at(HOUR))
    expect(await verifyToken(dir, made[0]!.token, {now: at(2 * HOUR)})).toEqual({ok: false, status: 401, reason: `token ${made[0]!.id} is revoked`})
    expect((await verifyToken(dir, made[1]!.token, {now: at(2 * HOUR)})).ok).toBe(true)
  })

  it('401 from its expiry on (an injected clock), good one millisecond before', async () => {
    const {dir, made} = await courseWith('run-a')
    expect((await verifyToken(dir, made[0]!.token, {now: at(12 * HOUR - 1)})).ok).toBe(true)
    expect(await verifyToken(dir, made[0]!.token, {now: at(12 * HOUR)})).toEqual({ok: false, status: 401, reason: `token ${made[0]!.id} is expired`})
  })

  it('401, not "good for ever", when an edited expiry is a time no calendar has', async () => {
    const {dir, made} = await courseWith(null)
    const file = join(dir, '.wicker', 'serve-tokens.json')
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"expiresAt": "\d{4}/, '"expiresAt": "9999').replace(/"expiresAt": "(\d{4})-\d\d/, '"expiresAt": "$1-13'))
    expect(await verifyToken(dir, made[0]!.token, {now: at(1)})).toMatchObject({ok: false, status: 401, reason: `token ${made[0]!.id} is expired`})
  })

  it('403: a good token made for another course', async () => {
    const {dir, made} = await courseWith(null)
    expect(await verifyToken(dir, made[0]!.token, {course: 'zen_for_ork', now: at(1)})).toEqual({ok: false, status: 403, reason: `token ${made[0]!.id} is for course plo_for_tam, not zen_for_ork`})
  })

  it('403: a token limited to one run, for another run or for none; good for its own run, and where no run is asked', async () => {
    const {dir, made} = await courseWith('run-a')
    const token = made[0]!.token
    expect(await verifyToken(dir, token, {run: 'run-b', now: at(1)})).toMatchObject({ok: false, status: 403, reason: `token ${made[0]!.id} is for run run-a, not run-b`})
    expect(await verifyToken(dir, token, {run: null, now: at(1)})).toMatchObject({ok: false, status: 403})
    expect((await verifyToken(dir, token, {run: 'run-a', now: at(1)})).ok).toBe(true)
    expect((await verifyToken(dir, token, {now: at(1)})).ok).toBe(true)
  })

  it('compares the hash with every stored hash in constant time, with no early exit on a match', async () => {
    const {dir, made} = await courseWith(null, null, null, null, null)
    const {tokens} = await readTokens(dir)
    vi.mocked(timingSafeEqual).mockClear()
    expect(matchToken(tokens, made[0]!.token)?.id).toBe(made[0]!.id)
    expect(vi.mocked(timingSafeEqual)).toHaveBeenCalledTimes(5)
    vi.mocked(timingSafeEqual).mockClear()
    expect((await verifyToken(dir, made[4]!.token, {now: at(1)})).ok).toBe(true)
    expect(vi.mocked(timingSafeEqual)).toHaveBeenCalledTimes(5)
  })
})

describe('the tokens file', () => {
  it('keeps only hashes: no token text in it', async () => {
    const {dir, made} = await courseWith(null, 'run-a')
    const text = readFileSync(join(dir, '.wicker', 'serve-tokens.json'), 'utf8')
    for (const {token} of made) {
      expect(token).toMatch(/^wkr_[A-Za-z0-9_-]{43}$/)
      expect(text).not.toContain(token.slice(4))
    }
    expect((await listTokens(dir, at(1))).map((t) => Object.keys(t).sort())).toEqual(Array(2).fill(['course', 'createdAt', 'expiresAt', 'id', 'revokedAt', 'run', 'state']))
  })

  it('a damaged file is refused (exit 3) by every reader and writer, and is left as it was', async () => {
    const {dir, made} = await courseWith(null)
    const file = join(dir, '.wicker', 'serve-tokens.json')
    writeFileSync(file, '{"version": 1, "tokens": [{"id": "tok_zz"}]}\n')
    const damaged = {name: 'BlockedError', code: 'E_TOKENS_DAMAGED'}
    await expect(verifyToken(dir, made[0]!.token)).rejects.toMatchObject(damaged)
    await expect(createToken(dir, {course: 'plo_for_tam', run: null, expiresMs: HOUR})).rejects.toBeInstanceOf(BlockedError)
    await expect(revokeToken(dir, made[0]!.id)).rejects.toMatchObject({...damaged, message: expect.stringContaining(file)})
    writeFileSync(file, 'vrel {')
    await expect(listTokens(dir)).rejects.toMatchObject({...damaged, message: expect.stringMatching(/line 1, column/)})
    expect(readFileSync(file, 'utf8')).toBe('vrel {')
  })

  it('revoking twice changes nothing the second time, and says so', async () => {
    const {dir, made} = await courseWith(null)
    expect((await revokeToken(dir, made[0]!.id, at(1))).result.alreadyRevoked).toBe(false)
    const before = readFileSync(join(dir, '.wicker', 'serve-tokens.json'), 'utf8')
    const again = await revokeToken(dir, made[0]!.id, at(2))
    expect(again.result).toMatchObject({alreadyRevoked: true, token: {state: 'revoked', revokedAt: at(1).toISOString()}})
    expect(readFileSync(join(dir, '.wicker', 'serve-tokens.json'), 'utf8')).toBe(before)
  })

  it('an unknown id is a usage error that lists the ids there', async () => {
    const {dir, made} = await courseWith(null, null)
    const refused = revokeToken(dir, 'tok_000000000000')
    await expect(refused).rejects.toBeInstanceOf(UsageError)
    await expect(refused).rejects.toMatchObject({code: 'E_TOKEN_UNKNOWN', hint: expect.stringContaining(`${made[0]!.id}, ${made[1]!.id}`)})
  })
})
