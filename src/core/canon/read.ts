import {existsSync, statSync} from 'node:fs'

import {LEGO_ID} from '../course/model.js'
import {InputError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {readBytes} from '../store/read-json.js'
import {readCanonIndex, type CanonIndex} from './canon-index.js'
import {headerText, scanLayout, type BasketSpan, type CanonLayout} from './layout.js'
import {hasUsable, isUsable, type BasketLocation, type Canon, type CanonBasket, type CanonFinding, type CanonPhrase} from './model.js'
import {isObject} from '../json.js'
import {memberPath} from '../strict-json.js'
import {ByteBasket} from './byte-basket.js'
import {OTHER, SHAPED_USABLE, scanUsable, type UsableScan} from './usable-scan.js'
import {canReadOffThread, readOffThread} from './usable-off-thread.js'
import {CANON_MAX_DEPTH, parseCanonHeld, parseCanonQuiet, parseCanonStrict, REFUSED} from './strict.js'

/** Fields the old upload server spread into the canon's top level (DOMAIN.md §2). */
export const UPLOAD_FIELDS = new Set(['seed', 'seedId', 'seed_id', 'agentId', 'agent_id', 'stagingOnly', 'courseCode', 'course_code', 'browserId', 'seedRange', 'uploadedAt', 'timestamp'])
/** Top-level fields a canon may carry. */
const CANON_FIELDS = new Set(['version', 'course', 'metadata', 'baskets', 'data', '$schema'])

type Json = unknown

function readPhrase(v: Json): CanonPhrase | null {
  if (Array.isArray(v)) {
    return typeof v[0] === 'string' && typeof v[1] === 'string' ? {known: v[0], target: v[1], shape: 'array'} : null
  }
  if (!isObject(v)) return null
  if (typeof v.target !== 'string') return null
  if (typeof v.known === 'string') return {known: v.known, target: v.target, shape: 'object'}
  if (typeof v.english === 'string') return {known: v.english, target: v.target, shape: 'english'}
  return null
}

interface Tally {
  arrayPhrases: Set<string>
  legoArrays: Set<string>
  bareArrays: Set<string>
  phrasesKey: Set<string>
}

const newTally = (): Tally => ({arrayPhrases: new Set(), legoArrays: new Set(), bareArrays: new Set(), phrasesKey: new Set()})

function readBasket(id: string, v: Json, location: BasketLocation, findings: CanonFinding[], tally: Tally): CanonBasket | null {
  let list: Json
  let lego: CanonBasket['lego'] = null
  let isFinalLego: unknown
  let phraseCount: unknown
  if (Array.isArray(v)) {
    tally.bareArrays.add(id)
    list = v
  } else if (isObject(v)) {
    list = v.practice_phrases
    if (list === undefined && v.phrases !== undefined) {
      tally.phrasesKey.add(id)
      list = v.phrases
    }
    if (Array.isArray(v.lego) && typeof v.lego[0] === 'string' && typeof v.lego[1] === 'string') {
      tally.legoArrays.add(id)
      lego = {known: v.lego[0], target: v.lego[1]}
    } else if (isObject(v.lego) && typeof v.lego.target === 'string') {
      const known = v.lego.known ?? v.lego.english
      lego = {known: typeof known === 'string' ? known : '', target: v.lego.target}
    }
    isFinalLego = v.is_final_lego
    phraseCount = v.phrase_count
  } else {
    findings.push({kind: 'bad-basket', basket: id, message: `basket ${id} is ${v === null ? 'null' : typeof v}, not an object with practice_phrases.`})
    return null
  }
  if (list === undefined) list = []
  if (!Array.isArray(list)) {
    findings.push({kind: 'bad-basket', basket: id, message: `basket ${id}: practice_phrases is not an array.`})
    return {id, location, lego, phrases: [], isFinalLego, phraseCount, raw: v}
  }
  let english = 0
  const phrases = list.map((item, index) => {
    const phrase = readPhrase(item)
    if (phrase === null) findings.push({kind: 'bad-phrase', basket: id, phrase: index, message: `basket ${id}, phrase ${index}: expected {known, target} or [known, target], found ${JSON.stringify(item)?.slice(0, 80)}.`})
    else if (phrase.shape === 'array') tally.arrayPhrases.add(id)
    else if (phrase.shape === 'english') english++
    return phrase
  })
  if (english > 0) findings.push({kind: 'english-key', basket: id, message: `basket ${id}: ${english} phrase(s) use "english" where "known" belongs.`})
  return {id, location, lego, phrases, isFinalLego, phraseCount, raw: v}
}

function sample(ids: Set<string>): string {
  const list = [...ids]
  return `${list.slice(0, 5).join(', ')}${list.length > 5 ? `, … (${list.length} in all)` : ''}`
}

function staleMetadata(metadata: Record<string, unknown> | null, count: number): CanonFinding[] {
  const total = metadata?.total_baskets
  return typeof total === 'number' && total !== count ? [{kind: 'stale-metadata', message: `metadata.total_baskets says ${total}, but the canon holds ${count} basket(s).`}] : []
}

function notBaskets(value: Json, file: string): InputError {
  return new InputError({
    code: 'E_INPUT_CANON',
    message: `Canon ${file} holds ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object of baskets.`,
    hint: `Restore ${file} from its last backup (.wicker/backups/) or from version control.`,
    details: {file},
  })
}

/**
 * Reads canon as it is, in any of the shapes found in real courses, keeping a finding for every
 * irregularity. `members`, when given, are the members of `value.baskets` (which is then `{}`),
 * each parsed only when its turn comes (a canon scanned from its bytes, usable-scan.ts).
 */
export function readCanonValue(value: Json, file: string, sha256: string | null, members?: Iterable<[string, Json]>): Canon {
  if (!isObject(value)) throw notBaskets(value, file)
  const findings: CanonFinding[] = []
  const tally = newTally()
  const baskets = new Map<string, CanonBasket>()
  const strays = new Map<string, CanonBasket>()
  const topLevel: Record<string, unknown> = {}

  let container: Canon['container'] = 'none'
  let containerPath = ['baskets']
  let source: Json
  if (value.baskets !== undefined) {
    container = 'baskets'
    source = value.baskets
  } else if (value.data !== undefined) {
    container = 'data'
    const nested = isObject(value.data) && isObject(value.data.baskets)
    containerPath = nested ? ['data', 'baskets'] : ['data']
    source = nested ? (value.data as Record<string, Json>).baskets : value.data
    findings.push({kind: 'legacy-shape', message: 'baskets are under a legacy "data" wrapper instead of "baskets".'})
  }
  if (source !== undefined && !isObject(source)) {
    findings.push({kind: 'bad-basket', message: `"${container}" is ${Array.isArray(source) ? 'an array' : typeof source}, not an object of LEGO ids; its content was not read.`})
  } else if (source !== undefined) {
    for (const [id, basket] of container === 'baskets' && members ? members : Object.entries(source)) {
      if (!LEGO_ID.test(id)) findings.push({kind: 'non-lego-key', basket: id, message: `"${container}" has the key ${JSON.stringify(id)}, which is not a LEGO id.`})
      const read = basket instanceof ByteBasket ? basket : readBasket(id, basket, container === 'data' ? 'data' : 'baskets', findings, tally)
      if (read) baskets.set(id, read)
    }
  }

  for (const [key, field] of Object.entries(value)) {
    // A flat data wrapper is the container; a nested one (data.baskets) keeps its other fields here.
    if (key === 'baskets' || (key === 'data' && container === 'data' && containerPath.length === 1)) continue
    if (LEGO_ID.test(key)) {
      const read = readBasket(key, field, 'top-level', findings, tally)
      if (read) strays.set(key, read)
      continue
    }
    topLevel[key] = field
    if (UPLOAD_FIELDS.has(key)) findings.push({kind: 'pollution', message: `upload field "${key}" was spread into the canon's top level.`})
    else if (!CANON_FIELDS.has(key)) findings.push({kind: 'pollution', message: `unexpected top-level field "${key}".`})
  }

  if (tally.arrayPhrases.size > 0) findings.push({kind: 'legacy-shape', message: `${tally.arrayPhrases.size} basket(s) hold [known, target] array phrases: ${sample(tally.arrayPhrases)}.`})
  if (tally.legoArrays.size > 0) findings.push({kind: 'legacy-shape', message: `${tally.legoArrays.size} basket(s) give "lego" as an array: ${sample(tally.legoArrays)}.`})
  if (tally.bareArrays.size > 0) findings.push({kind: 'legacy-shape', message: `${tally.bareArrays.size} basket(s) are bare phrase arrays: ${sample(tally.bareArrays)}.`})
  if (tally.phrasesKey.size > 0) findings.push({kind: 'legacy-shape', message: `${tally.phrasesKey.size} basket(s) use "phrases" instead of "practice_phrases": ${sample(tally.phrasesKey)}.`})

  const metadata = isObject(value.metadata) ? value.metadata : null
  findings.push(...staleMetadata(metadata, baskets.size))
  return {file, exists: true, sha256, container, containerPath, baskets, strays, metadata, topLevel, findings}
}

export function emptyCanon(file: string): Canon {
  return {file, exists: false, sha256: null, container: 'none', containerPath: ['baskets'], baskets: new Map(), strays: new Map(), metadata: null, topLevel: {}, findings: []}
}

/** Whether canon holds a basket for this id with at least one usable phrase. */
export function covers(canon: Canon, id: string): boolean {
  if (canon.baskets instanceof LazyBaskets) return canon.baskets.covers(id)
  const basket = canon.baskets.get(id)
  return basket !== undefined && hasUsable(basket)
}

/**
 * The baskets of a canon read by its layout: each is parsed when first asked for, so a preview that
 * needs a few hundred of 100,000 parses a few hundred.
 */
export class LazyBaskets implements ReadonlyMap<string, CanonBasket> {
  readonly #spans: Map<string, BasketSpan>
  readonly #read = new Map<string, CanonBasket>()

  constructor(
    readonly layout: CanonLayout,
    readonly uncovered: ReadonlySet<string>,
    readonly file: string,
    readonly maxDepth: number = CANON_MAX_DEPTH,
  ) {
    this.#spans = new Map(layout.spans.map((s) => [s.id, s]))
  }

  get size(): number {
    return this.#spans.size
  }

  has(id: string): boolean {
    return this.#spans.has(id)
  }

  covers(id: string): boolean {
    return this.#spans.has(id) && !this.uncovered.has(id)
  }

  get(id: string): CanonBasket | undefined {
    const done = this.#read.get(id)
    if (done) return done
    const span = this.#spans.get(id)
    if (!span) return undefined
    // Strict like a full read: bytes the index vouches for were written by wicker, but the index is a
    // file in the course folder too. Only the baskets asked for are checked; the rest are copied
    // through byte for byte by a splicing merge, so nothing unread can be changed.
    const {bytes} = this.layout
    const value = parseCanonStrict(bytes.subarray(span.valueStart, span.end), this.file, {maxDepth: this.maxDepth - 2, part: {path: memberPath('$.baskets', id), offset: span.valueStart, document: bytes}})
    // scanLayout admits only objects and arrays, which always read as a basket
    const basket = readBasket(id, value, 'baskets', [], newTally())!
    this.#read.set(id, basket)
    return basket
  }

  keys(): MapIterator<string> {
    return this.#spans.keys()
  }

  *values(): MapIterator<CanonBasket> {
    for (const id of this.#spans.keys()) yield this.get(id)!
  }

  *entries(): MapIterator<[string, CanonBasket]> {
    for (const id of this.#spans.keys()) yield [id, this.get(id)!]
  }

  [Symbol.iterator](): MapIterator<[string, CanonBasket]> {
    return this.entries()
  }

  forEach(callback: (value: CanonBasket, key: string, map: ReadonlyMap<string, CanonBasket>) => void): void {
    for (const [id, basket] of this.entries()) callback(basket, id, this)
  }
}

/**
 * Canon from its bytes, read strictly (strict.ts). Bytes the canon index names as written by wicker
 * are read by their layout (the baskets on demand, each checked when parsed); anything else is
 * parsed and checked in full.
 */
export interface CanonReadOptions {
  maxDepth?: number
  /**
   * the canon is only read: it is scanned from its bytes (usable-scan.ts), and a basket in wicker's
   * shape is a ByteBasket, any other parsed on its own. 'usable' (detect, preview): the caller asks
   * of such a basket mostly its id and whether it has a usable phrase, told by the scan, anything
   * else parsed from its bytes when asked; 'phrases' (validate, the report): each phrase's span is
   * kept too, so its text is decoded when asked for and never parsed (byte-basket.ts)
   */
  spans?: 'usable' | 'phrases'
  /** validate only: read lone surrogate escapes (it flags them) instead of refusing canon */
  allowLoneSurrogates?: boolean
  /**
   * false: the caller will most likely never read Canon.sha256 (detect without --out, validate), so
   * the worker thread that scans canon does not hash it first; the hash is then taken when first
   * read. Default true.
   */
  hash?: boolean
}

export function canonFromBytes(bytes: Buffer, file: string, sha: string, index: CanonIndex | null, options: CanonReadOptions = {}): Canon {
  return canonFromHeld({bytes, sha}, file, index, options)
}

/** Canon by its layout when the index vouches for the bytes, else in full. */
function canonFromHeld(held: Held, file: string, index: CanonIndex | null, options: CanonReadOptions): Canon {
  return canonByLayout(held, file, index, options) ?? canonInFull(held, file, options)
}

/** Canon bytes on their way to a parse, and their hash. */
interface Held {
  bytes: Buffer | null
  sha: string
}

/** Canon read by its layout, when the canon index vouches for these bytes; null otherwise. */
function canonByLayout(held: Held, file: string, index: CanonIndex | null, options: CanonReadOptions): Canon | null {
  const maxDepth = options.maxDepth ?? CANON_MAX_DEPTH
  const {sha} = held
  const layout = index?.sha256 === sha ? scanLayout(held.bytes!) : null
  if (layout && layout.spans.length === index!.baskets) {
    const header = readCanonValue(parseCanonStrict(Buffer.from(headerText(layout), 'utf8'), file, {maxDepth}), file, sha)
    const baskets = new LazyBaskets(layout, new Set(index!.uncovered), file, maxDepth)
    if (header.container === 'baskets' && index!.uncovered.every((id) => baskets.has(id))) {
      const findings = [...header.findings.filter((f) => f.kind !== 'stale-metadata'), ...staleMetadata(header.metadata, baskets.size)]
      return {...header, baskets, findings, layout}
    }
  }
  return null
}

/**
 * Canon parsed and checked in full. The bytes are let go once decoded (parseCanonHeld): no frame on
 * the way holds them in a local, so a 100 MB canon's bytes are not kept beside its text and parse.
 * With `spans` (commands that only read canon), a canon the byte scan reads is read that way.
 */
function canonInFull(held: Held, file: string, options: CanonReadOptions): Canon {
  return (options.spans ? canonByUsable(held, file, options) : null) ?? canonParsed(held, file, options)
}

/** Canon parsed and checked in full, whatever its shape: the read that refuses, with every place. */
function canonParsed(held: Held, file: string, options: CanonReadOptions): Canon {
  return readCanonValue(parseCanonHeld(held, file, {maxDepth: options.maxDepth ?? CANON_MAX_DEPTH, allowLoneSurrogates: options.allowLoneSurrogates}), file, held.sha)
}

class Refused extends Error {}

/**
 * Canon from one scan of its bytes (usable-scan.ts): baskets in wicker's shape are ByteBaskets, any
 * other basket is parsed and checked on its own when readCanonValue comes to it. Everything the
 * full read would refuse (a strict problem, bad JSON anywhere) gives null, and the full read then
 * refuses it with its places.
 */
function canonByUsable(held: Held, file: string, options: CanonReadOptions, scanned: UsableScan | null = scanUsable(held.bytes!, options.maxDepth ?? CANON_MAX_DEPTH, {spans: options.spans === 'phrases'})): Canon | null {
  const maxDepth = options.maxDepth ?? CANON_MAX_DEPTH
  const bytes = held.bytes!
  if (!scanned) return null
  const strict = {allowLoneSurrogates: options.allowLoneSurrogates}
  const header = parseCanonQuiet(scanned.header, {...strict, maxDepth})
  if (header === REFUSED) return null
  const {ids, kinds, starts, ends} = scanned
  const shaped = scanned.shaped ?? null
  function* members(): Generator<[string, Json]> {
    for (let m = 0; m < ids.length; m++) {
      const id = ids[m]!
      const kind = kinds[m]!
      if (kind !== OTHER) {
        yield [id, new ByteBasket(id, kind === SHAPED_USABLE, bytes, starts[m]!, ends[m]!, shaped, m)]
        continue
      }
      // the container sits at depth 1, so a basket's value opens at depth 2
      const value = parseCanonQuiet(bytes.toString('utf8', starts[m]!, ends[m]!), {...strict, maxDepth: maxDepth - 2})
      if (value === REFUSED) throw new Refused()
      yield [id, value]
    }
  }
  try {
    return readCanonValue(header, file, held.sha, members())
  } catch (error) {
    if (error instanceof Refused) return null
    throw error
  }
}

/** The canon with its sha256 taken from `bytes` when first read, once. */
function hashedWhenAsked(canon: Canon, bytes: Buffer): Canon {
  let sha: string | null = null
  return Object.defineProperty(canon, 'sha256', {get: () => (sha ??= sha256Hex(bytes)), enumerable: true, configurable: true})
}

/** The size of the file at `file` (-1 when it cannot be told: the read then tells why). */
function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return -1
  }
}

async function readHeld(file: string, options: {shared?: boolean} = {}): Promise<Held> {
  const bytes = await readBytes(file, options)
  return {bytes, sha: sha256Hex(bytes)}
}

/**
 * What readCanon without an index refuses, and nothing else: the same read, decoding, parse and
 * strict checks, without the canon model (nor its hash). For a command that does not use canon but
 * must refuse one wicker could not read (extract).
 */
export async function checkCanon(file: string, options: CanonReadOptions = {}): Promise<void> {
  if (!existsSync(file)) return
  checkCanonBytes(await readBytes(file), file, options)
}

/** checkCanon of bytes read: canon passed by one scan of its bytes where it can be, else read in full (which refuses). */
export function checkCanonBytes(bytes: Buffer, file: string, options: CanonReadOptions = {}): void {
  const maxDepth = options.maxDepth ?? CANON_MAX_DEPTH
  if (passesScan(bytes, maxDepth, options.allowLoneSurrogates)) return
  const value = parseCanonHeld({bytes}, file, {maxDepth, allowLoneSurrogates: options.allowLoneSurrogates})
  if (!isObject(value)) throw notBaskets(value, file)
}

/**
 * Whether canon bytes pass the full read by one scan of them (usable-scan.ts, which takes only what
 * the full read takes, an object): every part it does not read itself (the rest of the document,
 * baskets not in wicker's shape) parsed with the strict checks, as canonByUsable does. False: the
 * full read decides, and refuses with its places.
 */
function passesScan(bytes: Buffer, maxDepth: number, allowLoneSurrogates: boolean | undefined): boolean {
  const scanned = scanUsable(bytes, maxDepth)
  if (!scanned) return false
  if (parseCanonQuiet(scanned.header, {allowLoneSurrogates, maxDepth}) === REFUSED) return false
  const {kinds, starts, ends} = scanned
  for (let m = 0; m < kinds.length; m++) {
    // the container sits at depth 1, so a basket's value opens at depth 2
    if (kinds[m] === OTHER && parseCanonQuiet(bytes.toString('utf8', starts[m]!, ends[m]!), {allowLoneSurrogates, maxDepth: maxDepth - 2}) === REFUSED) return false
  }
  return true
}

/** Reads the canon file; a missing canon is an empty canon. With `index`, bytes wicker wrote are read by their layout. */
export async function readCanon(file: string, options: CanonReadOptions & {index?: string; warnings?: string[]} = {}): Promise<Canon> {
  // existsSync follows links: a dangling symlink is "no canon" here, and a folder or FIFO is read (and refused)
  if (!existsSync(file)) return emptyCanon(file)
  // from the built CLI: read, hash and scan on a second core while lego_pairs loads
  if (options.spans && !options.index && canReadOffThread(sizeOf(file))) {
    const off = await readOffThread(file, options.maxDepth ?? CANON_MAX_DEPTH, {spans: options.spans === 'phrases', hash: options.hash !== false})
    if (off) {
      const {bytes, sha, scan} = off
      const read = scan ? canonByUsable({bytes, sha: sha ?? ''}, file, options, scan) : null
      if (!read) return canonParsed({bytes, sha: sha ?? sha256Hex(bytes)}, file, options)
      if (sha !== null) return read
      // unhashed: hashed when asked where a basket in wicker's shape holds the bytes anyway; elsewhere
      // now (they are let go, and would be kept only for a hash no one may ask for)
      return scan!.kinds.some((k) => k !== OTHER) ? hashedWhenAsked(read, bytes) : {...read, sha256: sha256Hex(bytes)}
    }
  }
  // validate's and the report's bytes are shared with their check worker (validate/parallel.ts);
  // where canon's index may vouch for a layout (preview), read and hashed on the second core
  const offThread = options.index && canReadOffThread(sizeOf(file)) ? await readOffThread(file, options.maxDepth ?? CANON_MAX_DEPTH, {scan: false}) : null
  const held = offThread ? {bytes: offThread.bytes, sha: offThread.sha!} : await readHeld(file, {shared: options.spans === 'phrases'})
  const index = options.index ? await readCanonIndex(options.index, held.sha, options.warnings) : null
  return canonFromHeld(held, file, index, options)
}
