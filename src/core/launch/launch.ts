import {randomUUID} from 'node:crypto'
import {existsSync} from 'node:fs'
import {readdir, rm} from 'node:fs/promises'
import {join, relative, resolve} from 'node:path'

import {openCourse, type OpenCourseOptions} from '../course/open.js'
import type {Course} from '../course/model.js'
import {UsageError} from '../errors.js'
import {spawnAgent, stopLeftover} from '../proc/spawn.js'
import type {Packet} from '../segments/packets.js'
import {RUN_NAME} from '../schemas/run-plan.js'
import {readRunPlan, type PreparedPacket} from '../segments/run.js'
import {writeFileAtomic} from '../store/atomic-write.js'
import {realDisk} from '../store/disk.js'
import {within} from '../store/inside.js'
import {acquireLock} from '../store/lock.js'
import {wickerPaths} from '../store/paths.js'
import {makeAgent, type Agent, type AgentKind} from './agents.js'
import {classify, RETRYABLE, type AttemptClass} from './classify.js'
import {checkOutput, isDone, stagedName, stagedOutputs, stageOutput} from './output.js'
import {readCourseFile} from '../store/read-file.js'
import {appendNoFollow, checkRealFolder, makeRealFolder} from '../store/wicker-folder.js'

export interface LaunchOptions extends OpenCourseOptions {
  /** run to launch; default the newest prepared run */
  run?: string | null
  agent: AgentKind
  agentCmd?: string | null
  agentBin?: string | null
  concurrency: number
  /** pause between starts, ms, and its random share (0.25 = ±25 %) */
  staggerMs: number
  jitter: number
  timeoutMs: number
  idleTimeoutMs: number
  graceMs: number
  retries: number
  backoffMs: number
  /** stop launching once this share (0..1) of finished packets failed */
  halt: number
  maxCostUsd: number | null
  resume: boolean
  retryFailed: boolean
  /** 1-based packet numbers: "1,3-5" */
  only: string | null
  /** staging folder outputs go to; default phase5_baskets_staging/ */
  staging?: string | null
  signal?: AbortSignal
  onEvent?: (event: LaunchEvent) => void
}

export type LaunchEvent =
  | {type: 'plan'; run: string; packets: number; todo: Array<{packet: string; index: number}>; segments: number}
  | {type: 'skip'; packet: string; index: number; reason: string}
  | {type: 'start'; packet: string; index: number; attempt: number; pid: number | null}
  | {type: 'end'; packet: string; index: number; attempt: number; class: AttemptClass; message: string; durationMs: number; staged: string | null}
  | {type: 'retry'; packet: string; index: number; attempt: number; inMs: number}
  | {type: 'pause'; agent: string; untilMs: number; reason: string}
  | {type: 'halt'; reason: string}

export interface LedgerEntry {
  event: 'start' | 'end' | 'interrupted'
  packet: string
  attempt: number
  pid: number | null
  /** who the start entry's process is (proc/spawn.ts ProcIdentity), so a later launch stops only it */
  startTime?: string | null
  bootId?: string | null
  attemptId?: string
  at: string
  start?: string
  end?: string
  durationMs?: number
  class?: AttemptClass
  exitCode?: number | null
  signal?: string | null
  message?: string
  tokens?: {input: number; output: number} | null
  costUsd?: number | null
  staged?: string | null
}

export interface LaunchResult {
  run: string
  agent: AgentKind
  packets: {total: number; ok: number; failed: number; skipped: number}
  attempts: number
  staged: string[]
  failures: Array<{packet: string; index: number; class: AttemptClass; message: string}>
  segments: Array<{index: number; ok: number; failed: number; retried: number; skipped: number}>
  costUsd: number | null
  halted: string | null
  interrupted: boolean
  ledger: string
}

export function parseOnly(spec: string, max: number): Set<number> {
  const out = new Set<number>()
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part)
    if (!m) throw new UsageError({code: 'E_ONLY', message: `--only ${spec}: "${part}" is not a packet number or range.`, hint: 'Write packet numbers as shown by prepare-segments: 1,3-5.'})
    const a = Number(m[1])
    const b = m[2] ? Number(m[2]) : a
    for (let i = Math.min(a, b); i <= Math.max(a, b); i++) if (i >= 1 && i <= max) out.add(i)
  }
  return out
}

async function readLedger(file: string): Promise<LedgerEntry[]> {
  if (!existsSync(file)) return []
  return (await readCourseFile(file, {appendOnly: true})).toString('utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LedgerEntry]
      } catch {
        return [] // a line cut by a kill
      }
    })
}

async function newestRun(courseDir: string): Promise<string> {
  const runs = wickerPaths(courseDir).runs
  const names = existsSync(runs) ? await readdir(runs) : []
  let best: {run: string; at: string} | null = null
  for (const run of names) {
    if (!RUN_NAME.test(run)) continue
    try {
      const plan = JSON.parse((await readCourseFile(join(runs, run, 'plan.json'))).toString('utf8')) as {createdAt: string}
      if (!best || plan.createdAt > best.at) best = {run, at: plan.createdAt}
    } catch {
      // not a run
    }
  }
  if (!best) throw new UsageError({code: 'E_NO_RUN', message: `no prepared run in ${runs}.`, hint: 'Prepare one with `wicker prepare-segments <course>`.'})
  return best.run
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve()
    const onAbort = () => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, {once: true})
  })

export async function runLaunch(options: LaunchOptions): Promise<{result: LaunchResult; warnings: string[]}> {
  const {course, warnings} = await openCourse({...options, canon: false, recover: true})
  const run = options.run ?? (await newestRun(course.dir))
  const {plan, packets, dir} = await readRunPlan(course.dir, run)
  const agent = makeAgent(options.agent, options)
  const stagingDir = options.staging ?? join(course.dir, 'phase5_baskets_staging')
  // a staging folder of the course that is a symlink would put the outputs outside it (one named with --staging is the user's)
  if (within(course.dir, resolve(stagingDir))) await checkRealFolder(course.dir, resolve(stagingDir))
  const ledgerFile = join(dir, 'ledger.ndjson')
  const emit = options.onEvent ?? (() => undefined)

  // One launcher per run at a time.
  const lock = await acquireLock(realDisk, {...wickerPaths(course.dir), root: dir, lock: join(dir, 'lock')}, `wicker launch ${run}`)
  warnings.push(...lock.notes)
  try {
    // The ledger is appended to all through the launch: a symlink there is refused before it is read.
    await appendNoFollow(ledgerFile, '')
    const history = await readLedger(ledgerFile)
    // A line torn by a killed launcher would swallow the next entry appended to it.
    const text = (await readCourseFile(ledgerFile, {appendOnly: true})).toString('utf8')
    if (text !== '' && !text.endsWith('\n')) await appendNoFollow(ledgerFile, '\n')
    // Attempts a killed launcher left running: stop them before anything else.
    const ended = new Set(history.filter((e) => e.event !== 'start').map((e) => `${e.packet}#${e.attempt}`))
    for (const e of history) {
      if (e.event === 'start' && !ended.has(`${e.packet}#${e.attempt}`) && e.pid && e.attemptId) {
        // stopLeftover proves identity first, and also finds descendants of an agent already gone
        const outcome = await stopLeftover({pid: e.pid, startTime: e.startTime ?? null, bootId: e.bootId ?? null, attemptId: e.attemptId}, options.graceMs)
        if (outcome === 'stopped') warnings.push(`stopped attempt ${e.attempt} of ${e.packet} (pid ${e.pid}), left running by an earlier launch`)
      }
    }
    const lastAttempt = new Map<string, number>()
    const lastClass = new Map<string, AttemptClass | 'interrupted'>()
    for (const e of history) {
      lastAttempt.set(e.packet, Math.max(lastAttempt.get(e.packet) ?? 0, e.attempt))
      if (e.event === 'end') lastClass.set(e.packet, e.class!)
      if (e.event === 'interrupted') lastClass.set(e.packet, 'interrupted')
    }

    const only = options.only ? parseOnly(options.only, plan.packets.length) : null
    const todo: PreparedPacket[] = []
    const skipped: Array<{p: PreparedPacket; reason: string}> = []
    const staged = await stagedOutputs(stagingDir, run)
    for (const p of plan.packets) {
      if (only && !only.has(p.index)) continue
      const done = await isDone(staged, packets.get(p.id)!, course)
      if (done) skipped.push({p, reason: `done: ${relative(course.dir, done)}`})
      else if (options.retryFailed && !lastClass.has(p.id)) skipped.push({p, reason: 'never attempted (--retry-failed runs only failed packets)'})
      else todo.push(p)
    }
    emit({type: 'plan', run, packets: plan.packets.length, todo: todo.map((p) => ({packet: p.id, index: p.index})), segments: new Set(plan.packets.map((p) => p.segment)).size})
    for (const s of skipped) emit({type: 'skip', packet: s.p.id, index: s.p.index, reason: s.reason})

    const state = new Scheduler(options, course, agent, run, dir, stagingDir, ledgerFile, lastAttempt, emit)
    const segmentIndexes = [...new Set(plan.packets.map((p) => p.segment))].sort((a, b) => a - b)
    const perSegment = new Map(segmentIndexes.map((s) => [s, {index: s + 1, ok: 0, failed: 0, retried: 0, skipped: skipped.filter((x) => x.p.segment === s).length}]))
    for (const segment of segmentIndexes) {
      if (state.stopped()) break
      await state.runAll(
        todo.filter((p) => p.segment === segment),
        packets,
        perSegment.get(segment)!,
      )
    }
    const interrupted = options.signal?.aborted ?? false
    const attempted = new Set(state.outcomes.keys())
    return {
      result: {
        run,
        agent: options.agent,
        packets: {total: only ? only.size : plan.packets.length, ok: [...state.outcomes.values()].filter((o) => o.class === 'ok').length, failed: [...state.outcomes.values()].filter((o) => o.class !== 'ok').length, skipped: skipped.length + todo.filter((p) => !attempted.has(p.id)).length},
        attempts: state.attempts,
        staged: state.staged,
        failures: [...state.outcomes.entries()].filter(([, o]) => o.class !== 'ok').map(([packet, o]) => ({packet, index: o.index, class: o.class, message: o.message})),
        segments: [...perSegment.values()],
        costUsd: state.cost > 0 ? state.cost : null,
        halted: state.haltReason,
        interrupted,
        ledger: ledgerFile,
      },
      warnings,
    }
  } finally {
    await lock.release().catch(() => undefined)
  }
}

class Scheduler {
  readonly outcomes = new Map<string, {class: AttemptClass; message: string; index: number}>()
  readonly staged: string[] = []
  attempts = 0
  cost = 0
  haltReason: string | null = null
  private pausedUntil = 0
  private lastStart = 0

  constructor(
    private readonly o: LaunchOptions,
    private readonly course: Course,
    private readonly agent: Agent,
    private readonly run: string,
    private readonly dir: string,
    private readonly stagingDir: string,
    private readonly ledgerFile: string,
    private readonly lastAttempt: Map<string, number>,
    private readonly emit: (e: LaunchEvent) => void,
  ) {}

  stopped(): boolean {
    return this.haltReason !== null || (this.o.signal?.aborted ?? false)
  }

  private async ledger(entry: LedgerEntry): Promise<void> {
    await appendNoFollow(this.ledgerFile, `${JSON.stringify(entry)}\n`)
  }

  /** work/ and logs/ of the run, real folders inside the course (made once per launch). */
  private folders: Promise<unknown> | null = null
  private runFolders(): Promise<unknown> {
    this.folders ??= Promise.all([makeRealFolder(this.course.dir, join(this.dir, 'work')), makeRealFolder(this.course.dir, join(this.dir, 'logs'))])
    return this.folders
  }

  /** Waits for the stagger after the previous start, and for any rate-limit pause. */
  private async gate(): Promise<void> {
    for (;;) {
      const now = Date.now()
      const jitter = this.o.staggerMs * this.o.jitter * (Math.random() * 2 - 1)
      const next = Math.max(this.pausedUntil, this.lastStart + this.o.staggerMs + jitter)
      if (next <= now || this.stopped()) break
      await sleep(next - now, this.o.signal)
    }
    this.lastStart = Date.now()
  }

  async runAll(list: PreparedPacket[], packets: Map<string, Packet>, tally: {ok: number; failed: number; retried: number}): Promise<void> {
    const queue = [...list]
    const worker = async () => {
      while (queue.length > 0 && !this.stopped()) {
        const p = queue.shift()!
        await this.runPacket(p, packets.get(p.id)!, tally)
      }
    }
    await Promise.all(Array.from({length: Math.max(1, Math.min(this.o.concurrency, list.length))}, worker))
  }

  private async runPacket(p: PreparedPacket, packet: Packet, tally: {ok: number; failed: number; retried: number}): Promise<void> {
    let tries = 0
    let rateLimits = 0
    for (;;) {
      await this.gate()
      if (this.stopped()) return
      const attempt = (this.lastAttempt.get(p.id) ?? 0) + 1
      this.lastAttempt.set(p.id, attempt)
      const outcome = await this.attempt(p, packet, attempt)
      if (outcome === null) return // interrupted
      this.outcomes.set(p.id, {class: outcome.class, message: outcome.message, index: p.index})
      if (outcome.class === 'ok') {
        tally.ok++
        return
      }
      if (outcome.class === 'auth') {
        this.halt(`${outcome.class} on ${p.id}: ${outcome.message} (retrying would fail every packet the same way)`)
        tally.failed++
        return
      }
      if (outcome.class === 'rate-limited') {
        // A rate limit pauses this agent for everyone, and does not use up the packet's retries.
        const wait = outcome.resetInMs ?? Math.min(600_000, this.o.backoffMs * 2 ** Math.min(rateLimits, 8))
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait)
        this.emit({type: 'pause', agent: this.agent.kind, untilMs: wait, reason: outcome.message})
        if (++rateLimits <= 10) {
          tally.retried++
          continue
        }
      } else if (RETRYABLE.has(outcome.class) && tries < this.o.retries) {
        tries++
        tally.retried++
        const wait = this.o.backoffMs * 2 ** (tries - 1) * (1 + Math.random() * 0.25)
        this.emit({type: 'retry', packet: p.id, index: p.index, attempt: attempt + 1, inMs: Math.round(wait)})
        await sleep(wait, this.o.signal)
        continue
      }
      tally.failed++
      this.checkHalt()
      return
    }
  }

  private halt(reason: string): void {
    if (this.haltReason) return
    this.haltReason = reason
    this.emit({type: 'halt', reason})
  }

  private checkHalt(): void {
    const finished = [...this.outcomes.values()]
    const failed = finished.filter((o) => o.class !== 'ok').length
    if (finished.length >= 4 && failed / finished.length >= this.o.halt) this.halt(`${failed} of ${finished.length} finished packets failed (--halt ${Math.round(this.o.halt * 100)}%)`)
  }

  private async attempt(p: PreparedPacket, packet: Packet, attempt: number): Promise<{class: AttemptClass; message: string; resetInMs: number | null} | null> {
    this.attempts++
    const workDir = join(this.dir, 'work')
    await this.runFolders()
    const outputFile = join(workDir, `${p.id}__${attempt}.json`)
    // in a real folder (above), rm removes whatever is at the name, a symlink itself, never its target
    await rm(outputFile, {force: true})
    const call = {packetId: p.id, packetFile: join(this.dir, 'packets', `${p.id}.json`), promptFile: join(this.dir, 'prompts', `${p.id}.md`), outputFile, run: this.run, attempt}
    const prompt = (await readCourseFile(call.promptFile)).toString('utf8')
    const startedAt = new Date().toISOString()
    let pid: number | null = null
    let started: Promise<void> = Promise.resolve()
    const result = await spawnAgent({
      command: this.agent.command,
      args: this.agent.args(call),
      env: {...process.env, WICKER_PACKET: call.packetFile, WICKER_OUTPUT: outputFile, WICKER_RUN: this.run, WICKER_ATTEMPT: String(attempt), WICKER_PROMPT_FILE: call.promptFile, NO_COLOR: '1'},
      cwd: workDir,
      stdin: prompt,
      timeoutMs: this.o.timeoutMs,
      idleTimeoutMs: this.o.idleTimeoutMs,
      graceMs: this.o.graceMs,
      attemptId: `${this.run}:${p.id}:${attempt}:${randomUUID()}`,
      signal: this.o.signal,
      onStart: (child) => {
        pid = child.pid
        // awaited below, so a failed ledger write fails the launch instead of going unhandled
        started = this.ledger({event: 'start', packet: p.id, attempt, pid: child.pid, startTime: child.startTime, bootId: child.bootId, attemptId: child.attemptId, at: startedAt})
        this.emit({type: 'start', packet: p.id, index: p.index, attempt, pid: child.pid})
      },
    })
    await started
    if (this.o.signal?.aborted) {
      await this.ledger({event: 'interrupted', packet: p.id, attempt, pid, at: new Date().toISOString()})
      return null
    }
    const logBase = join(this.dir, 'logs', `${p.id}__${attempt}`)
    // each attempt's logs are written once, whole: by rename, which replaces a planted symlink rather than follow it
    await writeFileAtomic(`${logBase}.stdout`, result.stdout, {durable: false})
    await writeFileAtomic(`${logBase}.stderr`, result.stderr, {durable: false})
    const report = this.agent.read(result.stdout, result.exitCode)
    // The output: the file the agent wrote, or else the JSON in what it printed.
    const bytes = existsSync(outputFile) ? await readCourseFile(outputFile) : Buffer.from(report.text, 'utf8')
    const checked = bytes.length > 0 ? await checkOutput(bytes, packet, this.course) : {valid: false as const, reason: 'no output'}
    const verdict = classify({
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      spawnError: result.error,
      text: `${result.stderr}\n${result.stdout}`,
      agentError: report.error,
      authExit: this.agent.authExit(result.exitCode),
      output: checked.valid ? {valid: true} : checked,
    })
    let staged: string | null = null
    if (checked.valid) {
      staged = await stageOutput(this.stagingDir, stagedName(this.run, p.id, attempt), `${JSON.stringify(checked.json, null, 2)}\n`)
      this.staged.push(relative(this.course.dir, staged))
    }
    if (report.costUsd) this.cost += report.costUsd
    await this.ledger({
      event: 'end',
      packet: p.id,
      attempt,
      pid,
      at: new Date().toISOString(),
      start: startedAt,
      end: new Date().toISOString(),
      durationMs: result.durationMs,
      class: verdict.class,
      exitCode: result.exitCode,
      signal: result.signal,
      message: verdict.message,
      tokens: report.tokens,
      costUsd: report.costUsd,
      staged: staged ? relative(this.course.dir, staged) : null,
    })
    this.emit({type: 'end', packet: p.id, index: p.index, attempt, class: verdict.class, message: verdict.message, durationMs: result.durationMs, staged})
    if (this.o.maxCostUsd !== null && this.cost >= this.o.maxCostUsd) this.halt(`spent $${this.cost.toFixed(2)} of the $${this.o.maxCostUsd} allowed (--max-cost-usd)`)
    return verdict
  }
}
