import {randomBytes, timingSafeEqual} from 'node:crypto'

import {BlockedError, errnoOf, UsageError, type ErrorInfo} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {serveTokensFileSchema, TOKEN_ID, type ServeTokenRecord, type ServeTokensFile} from '../schemas/serve-tokens.js'
import {jsonText, writeFileAtomic} from '../store/atomic-write.js'
import {realDisk} from '../store/disk.js'
import {acquireLock} from '../store/lock.js'
import {wickerPaths} from '../store/paths.js'
import {readJson} from '../store/read-json.js'
import {makeRealFolder} from '../store/wicker-folder.js'

/** Every token starts so, so that a secret scanner (and a person) can tell one in a log or a paste. */
export const TOKEN_PREFIX = 'wkr_'
/** the prefix, then 32 random bytes in base64url (43 characters) */
const TOKEN_TEXT = /^wkr_[A-Za-z0-9_-]{43}$/

/** How long a token may live: from a minute (a test) to 30 days (a long remote run); 12 h unless told. */
export const TOKEN_EXPIRY = {
  default: '12h',
  min: {ms: 60_000, text: '1m'},
  max: {ms: 30 * 86_400_000, text: '30d'},
} as const

export type TokenState = 'active' | 'expired' | 'revoked'
export type TokenView = Omit<ServeTokenRecord, 'sha256'> & {state: TokenState}

export function tokenState(record: ServeTokenRecord, now: Date): TokenState {
  if (record.revokedAt !== null) return 'revoked'
  // a time no calendar has (month 13) parses to NaN: expired, never good for ever
  const expires = Date.parse(record.expiresAt)
  return Number.isFinite(expires) && expires > now.getTime() ? 'active' : 'expired'
}

export function tokenView(record: ServeTokenRecord, now: Date): TokenView {
  const {sha256: _hash, ...rest} = record
  return {...rest, state: tokenState(record, now)}
}

/**
 * The tokens of a course: none when there is no file. A file wicker did not write (not JSON, a
 * field of the wrong type) is refused, exit 3, like a damaged state.json: read as "no tokens", the
 * next create would write over every token in it.
 */
export async function readTokens(courseDir: string): Promise<ServeTokensFile> {
  const file = wickerPaths(courseDir).serveTokens
  const hint = `${file} holds serve's tokens (their hashes only). Move it aside (e.g. to serve-tokens.json.damaged): every token in it stops working; then make new ones with \`wicker serve token create\`.`
  try {
    return await readJson(file, serveTokensFileSchema, {what: 'Serve tokens file', code: 'E_TOKENS_DAMAGED', hint, refuse: (info: ErrorInfo) => new BlockedError({...info, code: 'E_TOKENS_DAMAGED', hint})})
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return {version: 1, tokens: []}
    throw error
  }
}

/**
 * Reads the tokens file, changes it and writes it whole again (temp file, fsync, rename) under its
 * own lock, .wicker/serve-tokens.lock, not the course's: a merge in progress does not hold up a new
 * token, and two creates at once both keep theirs.
 */
async function updateTokens<T>(courseDir: string, command: string, change: (file: ServeTokensFile) => {file: ServeTokensFile | null; value: T}): Promise<{value: T; notes: string[]}> {
  const paths = wickerPaths(courseDir)
  await makeRealFolder(courseDir, paths.root)
  const lock = await acquireLock(realDisk, {...paths, lock: paths.serveTokensLock}, command, {timeoutMs: LOCK_WAIT_MS, pollMs: 10}).catch((error: unknown) => {
    throw error instanceof BlockedError && error.code === 'E_LOCK_HELD' ? tokensBusy(error, paths.serveTokensLock) : error
  })
  try {
    const {file, value} = change(await readTokens(courseDir))
    if (file) await writeFileAtomic(paths.serveTokens, jsonText(file))
    return {value, notes: lock.notes}
  } finally {
    await lock.release()
  }
}

/** A token command holds the lock for milliseconds: waiting this long means its holder is stuck. */
const LOCK_WAIT_MS = 5000

/** The lock's own message names its holder; its hint (--lock-timeout, `wicker unlock`) is for the course's lock. */
function tokensBusy(error: BlockedError, lock: string): BlockedError {
  return new BlockedError({
    ...error.toJSON(),
    hint: `Another wicker serve token command is writing the tokens file; run this one again in a moment. If no wicker process is running, delete ${lock} by hand.`,
  })
}

export interface CreateTokenOptions {
  course: string
  run: string | null
  expiresMs: number
  now?: Date
}

export interface CreatedToken {
  token: string
  id: string
  course: string
  run: string | null
  createdAt: string
  expiresAt: string
}

/** Makes a token, keeps its hash, and gives back the token: the only time it exists outside the caller. */
export async function createToken(courseDir: string, options: CreateTokenOptions): Promise<{result: CreatedToken; notes: string[]}> {
  const now = options.now ?? new Date()
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const record: ServeTokenRecord = {
    id: `tok_${randomBytes(6).toString('hex')}`,
    course: options.course,
    run: options.run,
    sha256: sha256Hex(token),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + options.expiresMs).toISOString(),
    revokedAt: null,
  }
  const {notes} = await updateTokens(courseDir, `wicker serve token create ${options.course}`, (file) => ({file: {...file, tokens: [...file.tokens, record]}, value: null}))
  const {sha256: _hash, revokedAt: _revoked, ...shown} = record
  return {result: {token, ...shown}, notes}
}

export async function listTokens(courseDir: string, now = new Date()): Promise<TokenView[]> {
  return (await readTokens(courseDir)).tokens.map((t) => tokenView(t, now))
}

/** Revokes a token by id; a token revoked before stays as it was, and says so. */
export async function revokeToken(courseDir: string, id: string, now = new Date()): Promise<{result: {token: TokenView; alreadyRevoked: boolean}; notes: string[]}> {
  const {value, notes} = await updateTokens(courseDir, `wicker serve token revoke ${id}`, (file) => {
    const found = file.tokens.find((t) => t.id === id)
    if (!found) throw unknownId(courseDir, id, file.tokens.map((t) => t.id))
    if (found.revokedAt !== null) return {file: null, value: {token: tokenView(found, now), alreadyRevoked: true}}
    const revoked = {...found, revokedAt: now.toISOString()}
    return {file: {...file, tokens: file.tokens.map((t) => (t.id === id ? revoked : t))}, value: {token: tokenView(revoked, now), alreadyRevoked: false}}
  })
  return {result: value, notes}
}

function unknownId(courseDir: string, id: string, ids: string[]): UsageError {
  const form = TOKEN_ID.test(id) ? '' : ' (a token id looks like tok_0123456789ab; give the id, never the token)'
  return new UsageError({
    code: 'E_TOKEN_UNKNOWN',
    message: `No token with id ${JSON.stringify(id)} in ${wickerPaths(courseDir).serveTokens}${form}.`,
    hint: ids.length > 0 ? `The ids there: ${ids.join(', ')}. \`wicker serve token list\` shows them with their state.` : 'There are no tokens: `wicker serve token create` makes one.',
    details: {id, ids},
  })
}

export type TokenVerdict = {ok: true; token: TokenView} | {ok: false; status: 401 | 403; reason: string}

export interface VerifyOptions {
  /** the course code the request is for: a token made for another course gets 403 */
  course?: string
  /** the run the request is for (null: none); a token limited to another run gets 403. Left out: not checked. */
  run?: string | null
  now?: Date
}

/**
 * What the HTTP server asks of every request: is this bearer token good for this course (and run)?
 * Unknown, revoked or expired: 401 (authenticate again). Good, but for another course or run: 403.
 * The presented token's sha256 is compared with every stored hash, each in constant time and with
 * no early exit, so the time taken tells nothing about how close a guess came.
 */
export async function verifyToken(courseDir: string, presented: string, options: VerifyOptions = {}): Promise<TokenVerdict> {
  const now = options.now ?? new Date()
  if (!TOKEN_TEXT.test(presented)) return {ok: false, status: 401, reason: `not a wicker token (they start with ${TOKEN_PREFIX})`}
  const record = matchToken((await readTokens(courseDir)).tokens, presented)
  if (!record) return {ok: false, status: 401, reason: 'unknown token'}
  const state = tokenState(record, now)
  if (state !== 'active') return {ok: false, status: 401, reason: `token ${record.id} is ${state}`}
  if (options.course !== undefined && record.course !== options.course) return {ok: false, status: 403, reason: `token ${record.id} is for course ${record.course}, not ${options.course}`}
  if (options.run !== undefined && record.run !== null && record.run !== options.run) return {ok: false, status: 403, reason: `token ${record.id} is for run ${record.run}, not ${options.run ?? 'one without a run'}`}
  return {ok: true, token: tokenView(record, now)}
}

/** The record whose hash is the presented token's: every hash compared in constant time, none skipped. */
export function matchToken(records: readonly ServeTokenRecord[], presented: string): ServeTokenRecord | null {
  const hash = Buffer.from(sha256Hex(presented), 'hex')
  let found: ServeTokenRecord | null = null
  for (const record of records) {
    if (timingSafeEqual(hash, Buffer.from(record.sha256, 'hex')) && !found) found = record
  }
  return found
}

