import {setMaxListeners} from 'node:events'
import {existsSync} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import {join, relative, resolve} from 'node:path'

import {openCourse} from '../open/open-course.js'
import {UsageError} from '../errors.js'
import {parseShard, RUN_NAME, runPlanSchema, shardText} from '../schemas/run-plan.js'
import {shardPackets} from '../segments/shards.js'
import {readRunPlan} from '../segments/run.js'
import {realDisk} from '../store/disk.js'
import {within} from '../store/inside.js'
import {acquireLock} from '../store/lock.js'
import {folderLockPaths, launchPaths, runPaths, wickerPaths} from '../store/paths.js'
import {readJsonCache} from '../store/read-json.js'
import {checkRealFolder, makeRealFolder} from '../store/wicker-folder.js'
import {checkAgentProgram, makeAgent} from './agents.js'
import {agentInvocation, runAttempt, type AttemptContext} from './attempt.js'
import {ledgerWarnings, readLedger, RunLedger, summarize} from './ledger.js'
import {salvageOutput, stopLeftovers} from './leftovers.js'
import {isDone, stagedOutputs, type StagedOutputs} from './output.js'
import type {StagingEntry} from '../staging/scan.js'
import {countOutcomes} from './counts.js'
import {nextAttempt, Scheduler} from './scheduler.js'
import {parseOnly} from './only.js'
import {rivalLaunchers, rivalsError} from './rivals.js'
import {selectPackets} from './selector.js'
import {runSession} from './session.js'
import type {PreparedPacket} from '../segments/packets.js'
import {cleartextWarning} from '../segments/upload.js'
import {UploadRecord, Uploader, uploadSetup} from './upload.js'
import {openAiSettings, type OpenAiSettings} from './openai/settings.js'
import {anthropicClient, openAiBatchClient} from './batch/client.js'
import {DEFAULT_LIST_PRICES} from './batch/requests.js'
import {BatchRunner} from './batch/run.js'
import {sleep} from './scheduler.js'
import type {Packet} from '../segments/packets.js'
import type {LaunchDryRun, LaunchEvent, LaunchOptions, LaunchResult, SegmentTally} from './types.js'

/** `--group-size` when not given: packets per orchestrator session */
export const DEFAULT_GROUP_SIZE = 10

export type {LaunchDryRun, LaunchEvent, LaunchOptions, LaunchResult} from './types.js'
export type {LedgerEntry} from './ledger.js'
export {parseOnly} from './only.js'

/**
 * `wicker launch`: read the run and its ledger, stop what a killed launch left running, pick the
 * packets (selector.ts), run them (scheduler.ts, attempt.ts) and say what came of each, under the
 * run's lock.
 */
export async function newestRun(courseDir: string): Promise<string> {
  const runs = wickerPaths(courseDir).runs
  const names = existsSync(runs) ? await readdir(runs) : []
  let best: {run: string; at: string} | null = null
  for (const run of names) {
    if (!RUN_NAME.test(run)) continue
    const read = await readJsonCache(runPaths(join(runs, run)).plan, runPlanSchema)
    // not a run (or one whose plan is damaged: naming it with --run says what is wrong with it)
    if (!read?.ok) continue
    if (!best || read.value.createdAt > best.at) best = {run, at: read.value.createdAt}
  }
  if (!best) throw new UsageError({code: 'E_NO_RUN', message: `no prepared run in ${runs}.`, hint: 'Prepare one with `wicker prepare-segments <course>`.'})
  return best.run
}

/** The size of each prepared prompt (bytes, about its characters), for the estimate the CLI shows before it starts. */
async function promptChars(file: string): Promise<number> {
  try {
    return (await stat(file)).size
  } catch {
    return 0 // its attempt reports what is wrong with it
  }
}

/** The run a launch works on, read and checked before anything is started or written. */
async function openRun(options: LaunchOptions, write: boolean) {
  // a bad --shard, --upload or missing token is the command line's mistake, told before the course is read
  const shard = options.shard ? parseShard(options.shard) : null
  const upload = options.upload ? uploadSetup(options.upload, options.tokenEnv, options.env) : null
  const openai = openAiSettings(options.agent, options, options.env)
  // recovery writes: a dry run only reads
  const {course, warnings} = await openCourse({...options, canon: false, recover: write})
  const cleartext = upload ? cleartextWarning(upload.target) : null
  if (cleartext) warnings.push(cleartext)
  warnings.push(...openai.warnings)
  const run = options.run ?? (await newestRun(course.dir))
  const {plan, packets, dir} = await readRunPlan(course.dir, run)
  const agent = makeAgent(options.agent, {...options, openai: openai.settings})
  if (options.groupSize != null && options.sessions !== 'orchestrator') throw new UsageError({code: 'E_SESSIONS', message: '--group-size is for orchestrator sessions only.', hint: 'Add --sessions orchestrator, or leave out --group-size.'})
  if (options.sessions === 'orchestrator' && !agent.sessionArgs) {
    throw new UsageError({code: 'E_SESSIONS', message: `--sessions orchestrator needs an agent that starts workers of its own; the ${agent.kind} agent does not.`, hint: 'Use --agent claude (its Task tool starts the workers) or --agent command, or leave out --sessions.', details: {agent: agent.kind}})
  }
  checkAgentProgram(agent, runPaths(dir).work)
  // an empty --only ("$EMPTY") is a mistake, not "every packet"
  const only = options.only != null ? parseOnly(options.only, plan.packets.length) : null
  const mine = shard ? shardPackets(plan, shard) : null
  if (only && mine) {
    const elsewhere = [...only].filter((n) => !mine.has(n))
    if (elsewhere.length > 0) warnings.push(`--only ${elsewhere.slice(0, 10).join(',')}${elsewhere.length > 10 ? ',…' : ''}: not packets of shard ${shardText(shard!)}, so not run here (each packet belongs to one shard)`)
  }
  const stagingDir = options.staging ?? join(course.dir, 'phase5_baskets_staging')
  // a staging folder of the course that is a symlink would put the outputs outside it (one named with --staging is the user's)
  if (within(course.dir, resolve(stagingDir))) await checkRealFolder(course.dir, resolve(stagingDir))
  const files = launchPaths(dir, shard)
  // the packets this launch may run: --only's, within the shard's
  const picked = mine && only ? new Set([...only].filter((n) => mine.has(n))) : (mine ?? only)
  return {course, warnings, run, plan, packets, dir, agent, only: picked, mine, shard, stagingDir, files, ledgerFile: files.ledger, upload, openai: openai.settings}
}

/** Each packet's accepted output in staging (isDone: a valid one, by extract's rule), for the packets of `scope` (all when null). */
async function acceptedOutputs(open: Awaited<ReturnType<typeof openRun>>, staged: StagedOutputs, scope: ReadonlySet<number> | null): Promise<Map<string, StagingEntry>> {
  const done = new Map<string, StagingEntry>()
  for (const p of open.plan.packets) {
    if (scope && !scope.has(p.index)) continue
    const entry = await isDone(staged, open.packets.get(p.id)!, open.course)
    if (entry) done.set(p.id, entry)
  }
  return done
}

/**
 * The packets to start: not done (a valid output in staging), picked by --only / --retry-failed.
 * `scope` is the packets whose outputs are looked at (--only's by default; with --upload the whole
 * shard's, whose outputs are offered to the uploader from the same one reading).
 */
async function choosePackets(open: Awaited<ReturnType<typeof openRun>>, summary: ReturnType<typeof summarize>, options: LaunchOptions, scope: ReadonlySet<number> | null = open.only) {
  const {course, plan, only, stagingDir, run} = open
  const staged = await stagedOutputs(stagingDir, course.dir, run)
  // attempt numbers go past any name already in staging too (a file of staging is never replaced)
  for (const [packet, n] of staged.highest) summary.lastAttempt.set(packet, Math.max(summary.lastAttempt.get(packet) ?? 0, n))
  const done = await acceptedOutputs(open, staged, scope)
  const shown = new Map([...done].map(([id, entry]) => [id, relative(course.dir, entry.path)]))
  return {selection: selectPackets({packets: plan.packets, only, retryFailed: options.retryFailed, attempted: summary.attempted, done: shown}), done}
}

/**
 * `--upload`, once the packets ran: every valid staged output of the launch's packets (the shard's,
 * or the whole run's), the newest of each packet, offered to the uploader (which sends only what
 * uploads.ndjson does not list): an output staged by a path no event told of is sent all the same.
 */
async function offerStaged(open: Awaited<ReturnType<typeof openRun>>, uploader: Uploader): Promise<void> {
  const staged = await stagedOutputs(open.stagingDir, open.course.dir, open.run)
  for (const entry of (await acceptedOutputs(open, staged, open.mine)).values()) uploader.offer(entry.path)
}

/**
 * `launch --dry-run`: what launch would start, each packet's first attempt as the exact invocation
 * a real attempt spawns (agentInvocation), without starting, locking or writing anything.
 */
export async function dryRunLaunch(options: LaunchOptions): Promise<{result: LaunchDryRun; warnings: string[]}> {
  if (options.sessions === 'orchestrator') throw new UsageError({code: 'E_SESSIONS', message: '--dry-run does not show orchestrator sessions yet: what it prints is one session per packet.', hint: 'Leave out --sessions orchestrator to see the per-packet invocations, or leave out --dry-run.'})
  const open = await openRun(options, false)
  if (open.agent.batch) throw new UsageError({code: 'E_DRY_RUN', message: `--dry-run does not show --agent ${open.agent.kind}'s requests: it starts no process per packet.`, hint: 'The README (wicker launch, agent kinds) shows the exact request each packet becomes; leave out --dry-run to send the batch.', details: {agent: open.agent.kind}})
  const history = await readLedger(open.ledgerFile)
  const warnings = open.warnings
  warnings.push(...ledgerWarnings(open.ledgerFile, history))
  const summary = summarize(history.entries)
  if (summary.unfinished.length > 0) warnings.push(`${summary.unfinished.length} attempt(s) of a killed launch are unfinished: a real launch stops them first (and stages their output if it is valid), so its list may be shorter`)
  const {selection} = await choosePackets(open, summary, options)
  const ctx = {agent: open.agent, run: open.run, runDir: open.dir, shard: open.shard, timeoutMs: options.timeoutMs, idleTimeoutMs: options.idleTimeoutMs}
  return {
    result: {
      run: open.run,
      agent: options.agent,
      dryRun: true,
      shard: open.shard ? shardText(open.shard) : null,
      packets: {total: selection.picked, todo: selection.todo.length, skipped: selection.skipped.length},
      skipped: selection.skipped.map((s) => ({packet: s.packet.id, index: s.packet.index, reason: s.reason})),
      invocations: selection.todo.map((p) => agentInvocation(ctx, p, nextAttempt(summary.lastAttempt, p.id))),
    },
    warnings,
  }
}

/** One warning for each file not delivered (the first ten), with what the server said, and what to do. */
function uploadWarnings(u: NonNullable<LaunchResult['uploads']>): string[] {
  const lines = u.failures.slice(0, 10).map((f) => `upload of ${f.name} to ${u.url} failed${f.status === null ? '' : ` (${f.status})`}: ${f.message}`)
  if (u.failures.length > 10) lines.push(`${u.failures.length - 10} more upload(s) failed`)
  if (u.failures.length > 0) lines.push(`${u.failed} output(s) are staged here but not delivered: run the same command again to send them (what was delivered is not sent twice).`)
  return lines
}

/** The default first wait between a batch's polls (`--poll-interval`). */
export const DEFAULT_POLL_MS = 30_000

/** A batch agent's runner: its provider's client, with the key from the variable the settings name (never written anywhere). */
function batchRunner(ctx: AttemptContext, settings: OpenAiSettings, options: LaunchOptions, packets: ReadonlyMap<string, Packet>, lastAttempt: Map<string, number>): BatchRunner {
  const provider = ctx.agent.batch!
  const key = (options.env ?? process.env)[settings.apiKeyEnv]?.trim() ?? ''
  const client = (provider === 'anthropic' ? anthropicClient : openAiBatchClient)({baseUrl: settings.baseUrl, key, backoffMs: options.backoffMs, sleep})
  return new BatchRunner({
    ctx,
    client,
    settings,
    listPrice: options.listPrice ?? DEFAULT_LIST_PRICES[provider],
    packets,
    lastAttempt,
    retries: options.retries,
    backoffMs: options.backoffMs,
    halt: options.halt,
    maxCostUsd: options.maxCostUsd,
    pollMs: options.pollMs ?? DEFAULT_POLL_MS,
  })
}

export async function runLaunch(options: LaunchOptions): Promise<{result: LaunchResult; warnings: string[]}> {
  const open = await openRun(options, true)
  const {course, warnings, run, plan, packets, dir, agent, stagingDir, ledgerFile, files, shard, upload} = open
  const tell = options.onEvent ?? (() => undefined)
  let uploader: Uploader | null = null
  // an output staged now goes to the uploader's queue at once: the attempt does not wait for the network
  const emit = (e: LaunchEvent) => {
    tell(e)
    if ((e.type === 'end' || e.type === 'interrupted') && e.staged) uploader?.offer(resolve(course.dir, e.staged))
  }

  // One launcher per run (or per shard of it) at a time; a shard's folder is made as a real one first.
  if (files.shardDir) await makeRealFolder(course.dir, files.shardDir)
  const lock = await acquireLock(realDisk, folderLockPaths(course.dir, files.shardDir ?? dir), `wicker launch ${run}${shard ? ` --shard ${shardText(shard)}` : ''}`)
  warnings.push(...lock.notes)
  // --upload's requests: stopped with the launch, and in any case before the lock is released
  const uploads = new AbortController()
  try {
    // a launcher of the same run split another way (the whole run, or shards of another N) would run our packets too
    const rivals = await rivalLaunchers(course.dir, dir, shard, warnings)
    if (rivals.length > 0) throw rivalsError(run, shard, rivals)
    // The ledger is appended to all through the launch: a symlink there is refused before it is read.
    const {ledger, history} = await RunLedger.open(ledgerFile, shard ? shardText(shard) : null)
    warnings.push(...ledgerWarnings(ledgerFile, history))
    const summary = summarize(history.entries)
    // Attempts a killed launcher left running: stopped (identity proved) before anything else starts.
    const salvage = (e: {packet: string; attempt: number}) => salvageOutput({course, run, runDir: dir, shard, stagingDir}, packets.get(e.packet), e.attempt)
    warnings.push(...(await stopLeftovers(summary.unfinished, ledger, options.graceMs, salvage)))

    const {selection, done} = await choosePackets(open, summary, options, upload ? open.mine : open.only)
    if (upload) {
      // a symlink at the record's name is refused before anything is sent
      const opened = await UploadRecord.open(files.uploads)
      warnings.push(...opened.warnings)
      uploader = new Uploader({...upload, course: course.code, record: opened.record, signal: uploads.signal, ...(options.uploadBackoffMs === undefined ? {} : {backoffMs: options.uploadBackoffMs})})
      // what earlier launches staged and did not deliver (a server that was down) goes first
      for (const entry of done.values()) uploader.offer(entry.path)
    }
    const todo = await Promise.all(selection.todo.map(async (p) => ({packet: p.id, index: p.index, legos: p.legos, promptChars: await promptChars(files.prompt(p.id))})))
    emit({type: 'plan', run, packets: plan.packets.length, todo, segments: new Set(plan.packets.map((p) => p.segment)).size})
    for (const s of selection.skipped) emit({type: 'skip', packet: s.packet.id, index: s.packet.index, reason: s.reason})

    // Launch's own stop: its caller's signal, or a failure of launch's I/O, which stops every attempt (and upload) too.
    const stop = new AbortController()
    const onAbort = () => stop.abort(options.signal?.reason)
    if (options.signal?.aborted) onAbort()
    options.signal?.addEventListener('abort', onAbort, {once: true})
    stop.signal.addEventListener('abort', () => uploads.abort(stop.signal.reason), {once: true})
    const kill = new AbortController()
    const onKill = () => kill.abort(options.killSignal?.reason)
    if (options.killSignal?.aborted) onKill()
    options.killSignal?.addEventListener('abort', onKill, {once: true})
    // every running attempt listens to both (spawn, execa, its waits): no "possible leak" warning
    // printed across the live view at --concurrency 11
    setMaxListeners(0, stop.signal, kill.signal)
    let folders: Promise<unknown> | null = null
    const context: AttemptContext = {
      course,
      agent,
      run,
      runDir: dir,
      shard,
      stagingDir,
      ledger,
      timeoutMs: options.timeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      graceMs: options.graceMs,
      signal: stop.signal,
      killSignal: kill.signal,
      abort: (reason) => stop.abort(reason),
      folders: () => (folders ??= Promise.all([makeRealFolder(course.dir, files.work), makeRealFolder(course.dir, files.logs)])),
      emit,
      withheldEnv: upload ? [upload.target.tokenEnv] : [],
    }
    const segmentIndexes = [...new Set(plan.packets.map((p) => p.segment))].sort((a, b) => a - b)
    const segments = segmentIndexes.map((s) => ({
      packets: selection.todo.filter((p) => p.segment === s),
      tally: {index: s + 1, ok: 0, failed: 0, retried: 0, skipped: selection.skipped.filter((x) => x.packet.segment === s).length, interrupted: 0, notStarted: 0} satisfies SegmentTally,
    }))
    // a batch agent: one batch of every packet to do (batch/run.ts), not a process per packet
    const batch = agent.batch ? batchRunner(context, open.openai!, options, packets, summary.lastAttempt) : null
    const scheduler = batch
      ? null
      : new Scheduler({
          ...options,
          agent: agent.kind,
          lastAttempt: summary.lastAttempt,
          signal: stop.signal,
          abort: (reason) => stop.abort(reason),
          attempt: (p, attempt, exited) => runAttempt(context, p, packets.get(p.id)!, attempt, exited),
          ...(options.sessions === 'orchestrator' ? {session: (items: ReadonlyArray<{packet: PreparedPacket; attempt: number}>) => runSession(context, items.map((i) => ({prepared: i.packet, packet: packets.get(i.packet.id)!, attempt: i.attempt}))), groupSize: options.groupSize ?? DEFAULT_GROUP_SIZE} : {}),
          emit,
        })
    const runner = (batch ?? scheduler)!
    let delivered: LaunchResult['uploads'] = null
    try {
      if (batch) {
        await batch.run(selection.todo, summary.inBatch)
        for (const seg of segments) seg.tally.retried = seg.packets.filter((p) => batch.retried.has(p.id)).length
      } else await scheduler!.runSegments(segments)
      if (uploader) {
        if (!stop.signal.aborted) await offerStaged(open, uploader)
        delivered = await uploader.drain()
        warnings.push(...uploader.warnings, ...uploadWarnings(delivered))
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
      options.killSignal?.removeEventListener('abort', onKill)
    }

    // Every count comes from the packets' last outcomes, in one place: a packet whose retry a stop cut
    // short is failed in the segment as in the total.
    for (const s of segments) Object.assign(s.tally, countOutcomes(s.packets, runner.outcomes))
    const failed = [...runner.outcomes.entries()].filter(([, o]) => !o.staged && !o.interrupted)
    const counts = {...countOutcomes(selection.todo, runner.outcomes), skipped: selection.skipped.length}
    return {
      result: {
        run,
        agent: options.agent,
        packets: {total: selection.picked, ...counts},
        attempts: runner.attempts,
        staged: runner.staged,
        failures: failed.map(([packet, o]) => ({packet, index: o.index, class: o.class, message: o.message})),
        segments: segments.map((s) => s.tally),
        costUsd: runner.cost > 0 ? runner.cost : null,
        halted: runner.haltReason,
        interrupted: options.signal?.aborted ?? false,
        ledger: ledgerFile,
        shard: shard ? shardText(shard) : null,
        uploads: delivered,
      },
      warnings,
    }
  } finally {
    // a failure above leaves no PUT running once the lock is released
    uploads.abort()
    await lock.release().catch(() => undefined)
  }
}

