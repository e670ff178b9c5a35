import {existsSync, statSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {MessageChannel, Worker} from 'node:worker_threads'

import {ByteBasket} from '../canon/byte-basket.js'
import type {Canon, CanonBasket} from '../canon/model.js'
import type {ShapedSpans} from '../canon/usable-scan.js'
import {loadConfig} from '../config.js'
import {findCourse, resolveCoursesDir} from '../course/find.js'
import {compiledScript, sourceScript} from '../package-root.js'
import {COURSE_FILES} from '../course/load.js'
import type {ArrayOrder, Course} from '../course/model.js'
import type {OpenCourseOptions} from '../open/open-course.js'
import {progressEvery} from '../progress.js'
import {checkSettings, type GateDefinition, type GateSettings, type ValidateSettings} from '../schemas/config.js'
import {basketChecker} from './checker.js'
import {checkEncoding} from './checks/encoding.js'
import {checkStructure} from './checks/structure.js'
import type {GateRates} from './gate-rates.js'
import type {Finding, ValidateOptions} from './model.js'
import {validateResult, type ValidateResult} from './validate.js'
import {encodeChunk, type WireChunk} from './wire.js'

/**
 * validate's basket checks on two threads, for a big canon. A worker (check-worker.ts) is started
 * before the course is opened; once canon is read (so the two threads' reading peaks of memory do
 * not add up) it loads lego_pairs and builds its GATE indexes while this thread builds its own.
 * The baskets are cut into chunks, which the worker claims from the front and this thread from the
 * back, each chunk once (an atomic claim), so a loaded core does less and the other more; this
 * thread posts the worker the few chunks ahead of it as it goes (a chunk costs memory only while it
 * waits to be checked). Findings are put back in canon's basket order: the result is the one of the
 * single-thread loop (validate.ts), byte for byte (test/unit/validate/parallel.test.ts). Whatever
 * goes wrong in the worker (it fails, dies, or read another course than this thread did, a file
 * changed in between) this thread checks its chunks itself: the worker never decides an error
 * message or an exit code.
 */

/** a canon smaller than this is checked on one thread: a worker costs its start-up (~0.3 s of CPU) */
export const PARALLEL_MIN_BYTES = 24 * 2 ** 20
/** baskets per chunk */
export const CHUNK_BASKETS = 500
/** chunks at most (the claims' shared array is made before canon is read); a bigger canon has bigger chunks */
const MAX_CHUNKS = 1 << 16
/** chunks posted ahead of the worker */
const LOOKAHEAD = 4

/** slots of the shared control array; `bytes`: 1 when the worker reads its baskets from canon's shared bytes (a SharedBaskets message, before the go) */
export const CTRL = {go: 0, chunks: 1, posted: 2, front: 3, ready: 4, bytes: 5} as const
/** who claimed a chunk */
export const THEIRS = 1
export const MINE = 2

export interface WorkerInit {
  dir: string
  canonFile: string
  orientation: ArrayOrder | null
  gate: GateSettings
  validate: ValidateSettings
  rates: GateDefinition[] | null
  /** tests: the worker fails when it comes to this chunk */
  failAt?: number
}

/** How the baskets are shared (tests): chunk size, and whether this thread waits for the worker to be ready before it takes a chunk. */
export interface ShareOptions {
  chunkBaskets?: number
  waitForWorker?: boolean
}

export interface WorkerDone {
  type: 'done'
  chunks: Array<{index: number; findings: Finding[]}>
  phrases: number
  gateViolations: number
  rates: GateRates | null
  /** what the worker loaded, compared with this thread's course */
  course: {legos: number; seeds: number; orientation: string}
}

type WorkerMessage = WorkerDone | {type: 'failed'; message: string}

/**
 * The baskets to share, as the worker makes them itself (ByteBaskets over canon's bytes in shared
 * memory): per basket its id, usable, the span of its value and its member in the scan's spans
 * (-1: not such a basket). A chunk of such baskets only (`whole`) is not posted and none of its
 * text is copied: each thread decodes the phrases of the chunks it claims. Any other chunk (one
 * holding a basket not in wicker's shape) is posted as before.
 */
export interface SharedBaskets {
  type: 'bytes'
  bytes: Uint8Array
  shaped: ShapedSpans
  chunkBaskets: number
  ids: string[]
  usable: Uint8Array
  starts: Int32Array
  ends: Int32Array
  members: Int32Array
  /** per chunk: 1 when the worker makes all of its baskets itself */
  whole: Uint8Array
}

/** The baskets as SharedBaskets, when some are ByteBaskets over one scan of bytes in shared memory; null otherwise (every chunk is posted). */
function sharedBaskets(baskets: readonly CanonBasket[], chunkBaskets: number, chunkCount: number): SharedBaskets | null {
  const byte = baskets.find((b): b is ByteBasket => b instanceof ByteBasket && b.shaped !== null && b.bytes.buffer instanceof SharedArrayBuffer)
  if (!byte) return null
  const {bytes, shaped} = byte
  const n = baskets.length
  const out: SharedBaskets = {type: 'bytes', bytes, shaped: shaped!, chunkBaskets, ids: new Array(n), usable: new Uint8Array(n), starts: new Int32Array(n), ends: new Int32Array(n), members: new Int32Array(n), whole: new Uint8Array(chunkCount).fill(1)}
  for (let k = 0; k < n; k++) {
    const basket = baskets[k]!
    out.ids[k] = basket.id
    if (basket instanceof ByteBasket && basket.bytes === bytes && basket.shaped === shaped) {
      out.usable[k] = basket.usable ? 1 : 0
      out.starts[k] = basket.start
      out.ends[k] = basket.end
      out.members[k] = basket.member
    } else {
      out.members[k] = -1
      out.whole[Math.floor(k / chunkBaskets)] = 0
    }
  }
  return out
}

/** The ByteBaskets of chunk `index` of SharedBaskets (a `whole` one): what the main thread has in canon.baskets at those places. */
export function sharedChunk(shared: SharedBaskets, index: number): CanonBasket[] {
  const bytes = Buffer.from(shared.bytes.buffer, shared.bytes.byteOffset, shared.bytes.byteLength)
  const from = index * shared.chunkBaskets
  const to = Math.min(shared.ids.length, from + shared.chunkBaskets)
  const out: CanonBasket[] = []
  for (let k = from; k < to; k++) out.push(new ByteBasket(shared.ids[k]!, shared.usable[k] === 1, bytes, shared.starts[k]!, shared.ends[k]!, shared.shaped, shared.members[k]!))
  return out
}

/** The files loadCourse reads, as stat sees them: equal before and after both loads, both threads read the same bytes. */
function fileStamps(dir: string): string {
  return [COURSE_FILES.legoPairs, COURSE_FILES.seedPairs, COURSE_FILES.canon]
    .map((name) => {
      try {
        const s = statSync(join(dir, name), {bigint: true})
        return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
      } catch {
        return '-'
      }
    })
    .join('|')
}

/**
 * The compiled worker; from the TypeScript sources (tests) the .ts, through tsx's loader registered
 * in the worker (a worker's `--import` does not apply to its own entry).
 */
function workerScript(): {script: string | URL; eval: boolean} {
  const compiled = compiledScript('core/validate/check-worker')
  if (compiled) return {script: compiled, eval: false}
  const {source, tsx} = sourceScript('core/validate/check-worker', 'dist/esm/api/index.mjs')
  const api = pathToFileURL(tsx).href
  const entry = pathToFileURL(source).href
  return {script: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`, eval: true}
}

/** A started worker, waiting for its go. */
export interface CheckWorker {
  readonly init: WorkerInit
  readonly stamps: string
  readonly ctrl: Int32Array
  readonly claims: Int32Array
  /** the worker has answered (or failed) */
  readonly settled: boolean
  /** posts a chunk, and tells the worker one more is there */
  post(chunk: WireChunk): void
  /** gives the worker every basket at once (before the go) */
  share(baskets: SharedBaskets): void
  /** its answer, the process kept running until it comes: null when it failed, in any way */
  wait(): Promise<WorkerDone | null>
  stop(): void
}

export function startCheckWorker(init: WorkerInit): CheckWorker {
  const stamps = fileStamps(init.dir)
  const {script, eval: isCode} = workerScript()
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * 6))
  const claims = new Int32Array(new SharedArrayBuffer(4 * MAX_CHUNKS))
  const {port1, port2} = new MessageChannel()
  const worker = new Worker(script, {eval: isCode, workerData: {init, port: port2, ctrl: ctrl.buffer, claims: claims.buffer}, transferList: [port2], stdout: false, stderr: false})
  // never what keeps the process running
  let stopped = false
  const answer = new Promise<WorkerDone | null>((resolve) => {
    port1.on('message', (message: WorkerMessage) => resolve(message.type === 'done' ? message : null))
    port1.on('messageerror', () => resolve(null))
    worker.on('error', () => resolve(null))
    worker.on('exit', () => resolve(null))
  })
  let settled = false
  void answer.then(() => (settled = true))
  // never what keeps the process running, until its answer is waited for
  worker.unref()
  port1.unref()
  return {
    init,
    stamps,
    get settled() {
      return settled
    },
    ctrl,
    claims,
    wait: () => {
      worker.ref()
      port1.ref()
      return answer
    },
    share: (baskets) => {
      port1.postMessage(baskets)
      Atomics.store(ctrl, CTRL.bytes, 1)
    },
    post: (chunk) => {
      port1.postMessage(chunk)
      Atomics.add(ctrl, CTRL.posted, 1)
      Atomics.notify(ctrl, CTRL.posted)
    },
    stop: () => {
      if (stopped) return
      stopped = true
      port1.close()
      void worker.terminate()
    },
  }
}

/**
 * A worker for validate, when asked for (WICKER_CHECK_THREADS=2), the course's canon is big and
 * there are two cores; null otherwise, or when anything in the way would fail (config, course,
 * settings): the open that follows then fails as it always did. Not the default: on the 100,000-LEGO
 * bench course the second heap (its own course, GATE indexes and language sense) takes the peak
 * from ~500 to ~630 MiB, over issue 16's 572 MiB, and the work done twice (course, indexes, the
 * chunks' copies) costs ~40% more CPU, which a machine with no idle core pays in wall time
 * (docs/notes/h3-par.md).
 */
export function maybeStartCheckWorker(options: OpenCourseOptions & {gate?: Partial<GateSettings>; validate?: Partial<ValidateSettings>}, rates: GateDefinition[] | null, minBytes = PARALLEL_MIN_BYTES): Promise<CheckWorker | null> {
  if (process.env.WICKER_CHECK_THREADS !== '2' || availableParallelism() < 2) return Promise.resolve(null)
  return (async () => {
    try {
      const {file: configFile, config} = await loadConfig({file: options.configFile, cwd: options.cwd})
      const coursesDir = resolveCoursesDir({flag: options.coursesDir, config: config.coursesDir, cwd: options.cwd})
      const {dir} = findCourse(options.course, {coursesDir, cwd: options.cwd})
      const canonFile = join(dir, COURSE_FILES.canon)
      if (statSync(canonFile).size < minBytes) return null
      return startCheckWorker({dir, canonFile, orientation: options.orientation ?? config.orientation ?? null, ...checkSettings(config, configFile, options), rates})
    } catch {
      return null
    }
  })()
}

/** Whether the worker's settings are the ones this run checks with (they were parsed from the same config and flags). */
function sameInit(init: WorkerInit, course: Course, canon: Canon, options: ValidateOptions, rates: readonly GateDefinition[] | null): boolean {
  return init.dir === course.dir && init.canonFile === canon.file && JSON.stringify([init.gate, init.validate, init.rates]) === JSON.stringify([options.gate, options.validate, rates ? [...rates] : null])
}

/**
 * checkCanon of validate.ts with the worker's help: the same findings in the same order, the same
 * counts and GATE rates.
 */
export async function checkCanonParallel(course: Course, canon: Canon, options: ValidateOptions, rates: readonly GateDefinition[] | null, worker: CheckWorker, share: ShareOptions = {}): Promise<Checked> {
  try {
    return await checkShared(course, canon, options, rates, worker, share)
  } finally {
    worker.stop()
  }
}

/** The result, the GATE rates, and how many chunks each thread checked (`redone`: the worker's, checked here after it failed; `made`: how many the worker could make from shared bytes). */
export interface Checked {
  result: ValidateResult
  gate: GateRates | null
  chunks: {worker: number; main: number; redone: number; made: number}
}

async function checkShared(course: Course, canon: Canon, options: ValidateOptions, rates: readonly GateDefinition[] | null, worker: CheckWorker, share: ShareOptions): Promise<Checked> {
  const baskets: CanonBasket[] = [...canon.baskets.values()]
  const size = Math.max(share.chunkBaskets ?? CHUNK_BASKETS, Math.ceil(baskets.length / MAX_CHUNKS))
  const chunkCount = Math.ceil(baskets.length / size)
  const chunkOf = (i: number) => baskets.slice(i * size, Math.min(baskets.length, (i + 1) * size))
  const {ctrl, claims} = worker
  // a worker with other settings (or for another course) takes nothing: every chunk is this thread's
  const sameSettings = sameInit(worker.init, course, canon, options, rates)
  if (!sameSettings) {
    worker.stop()
    for (let i = 0; i < chunkCount; i++) claims[i] = MINE
  }
  // baskets over shared bytes: the worker makes those chunks itself, they are not posted
  const shared = sameSettings ? sharedBaskets(baskets, size, chunkCount) : null
  if (shared) worker.share(shared)
  Atomics.store(ctrl, CTRL.chunks, chunkCount)
  Atomics.store(ctrl, CTRL.go, 1)
  Atomics.notify(ctrl, CTRL.go)
  let posted = 0
  /** posts the chunks up to `until` (exclusive) that this thread has not claimed and the worker cannot make */
  const postUpTo = (until: number) => {
    // the worker claims in order and stops at this thread's first chunk: none after it is needed
    for (; posted < Math.min(until, chunkCount) && Atomics.load(claims, posted) !== MINE; posted++) if (shared?.whole[posted] !== 1) worker.post(encodeChunk(posted, chunkOf(posted)))
  }
  postUpTo(LOOKAHEAD)

  const checker = basketChecker(course, canon, options, rates)
  const head = checker.findings
  checkStructure(checker.ctx)
  for (const stray of canon.strays.values()) checkEncoding(checker.ctx, stray)
  const tick = progressEvery(options.onProgress, 'checking baskets', baskets.length, 500)
  let checked = 0
  const byChunk: Finding[][] = new Array(chunkCount)
  const checkChunk = (i: number) => {
    checker.findings = byChunk[i] = []
    for (const basket of chunkOf(i)) {
      tick(++checked)
      checker.check(basket)
    }
  }
  if (share.waitForWorker) while (Atomics.load(ctrl, CTRL.ready) === 0 && Atomics.load(claims, 0) !== MINE && !worker.settled) await new Promise((resolve) => setTimeout(resolve, 5))
  let boundary = chunkCount
  for (let i = chunkCount - 1; i >= 0; i--) {
    postUpTo(Atomics.load(ctrl, CTRL.front) + LOOKAHEAD)
    if (Atomics.compareExchange(claims, i, 0, MINE) !== 0 && Atomics.load(claims, i) !== MINE) break
    boundary = i
    checkChunk(i)
  }
  // every chunk before the boundary is the worker's (claimed or to be): it gets them all
  postUpTo(boundary)
  let phrases = checker.phrases
  let gateViolations = checker.gateViolations
  let gate = checker.rates
  let redone = 0
  if (boundary > 0) {
    const done = await worker.wait()
    const trusted = done !== null && fileStamps(course.dir) === worker.stamps && done.course.legos === course.legos.length && done.course.seeds === course.seeds.length && done.course.orientation === JSON.stringify(course.orientation) && done.chunks.length === boundary && done.chunks.every((c, i) => c.index === i)
    if (trusted) {
      for (const {index, findings} of done.chunks) byChunk[index] = findings
      phrases += done.phrases
      gateViolations += done.gateViolations
      gate = gate && done.rates ? mergeRates(gate, done.rates) : gate
    } else {
      for (let i = 0; i < boundary; i++) checkChunk(i)
      redone = boundary
      phrases = checker.phrases
      gateViolations = checker.gateViolations
    }
  }
  if (checked < baskets.length) options.onProgress?.('checking baskets', baskets.length, baskets.length)
  const findings = head
  for (const list of byChunk) for (const f of list) findings.push(f)
  if (gate) gate.perSeed = inBasketOrder(gate.perSeed, course, baskets)
  return {result: validateResult(course, canon, options, {findings, phrases, gateViolations}), gate, chunks: {worker: redone > 0 ? 0 : boundary, main: chunkCount - boundary, redone, made: shared ? shared.whole.reduce((n, w) => n + w, 0) : 0}}
}

function mergeRates(a: GateRates, b: GateRates): GateRates {
  const perSeed = new Map(a.perSeed)
  for (const [id, seed] of b.perSeed) {
    const mine = perSeed.get(id)
    perSeed.set(id, mine ? {phrases: mine.phrases + seed.phrases, violations: mine.violations.map((v, i) => v + seed.violations[i]!)} : seed)
  }
  return {definitions: a.definitions, phrases: a.phrases + b.phrases, violations: a.violations.map((v, i) => v + b.violations[i]!), perSeed}
}

/** perSeed in the order one pass over the baskets makes it: a seed at its first basket. */
function inBasketOrder(perSeed: GateRates['perSeed'], course: Course, baskets: readonly CanonBasket[]): GateRates['perSeed'] {
  const ordered: GateRates['perSeed'] = new Map()
  for (const basket of baskets) {
    const seedId = course.legoById.get(basket.id)?.seedId
    if (seedId === undefined || ordered.has(seedId)) continue
    const seed = perSeed.get(seedId)
    if (seed) ordered.set(seedId, seed)
  }
  return ordered
}
