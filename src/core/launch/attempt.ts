import {randomBytes} from 'node:crypto'
import {relative} from 'node:path'

import type {Course} from '../course/model.js'
import {spawnAgent, type ProcIdentity} from '../proc/spawn.js'
import {MARKER} from '../proc/tree.js'
import type {Packet, PreparedPacket} from '../segments/packets.js'
import {writeFileAtomic} from '../store/atomic-write.js'
import {realDisk} from '../store/disk.js'
import {launchPaths} from '../store/paths.js'
import type {ShardSpec} from '../schemas/run-plan.js'
import {maxFileBytes, readCourseFile} from '../store/read-file.js'
import type {Agent} from './agents.js'
import {classify, type AttemptClass} from './classify.js'
import type {RunLedger} from './ledger.js'
import {checkOutput, readWorkOutput, stagedName, stageOutput} from './output.js'
import type {AgentInvocation, LaunchEvent} from './types.js'

/**
 * The I/O of one attempt: start the agent (through core/proc, which owns its whole process tree),
 * record it in the ledger, keep its logs, accept or refuse its output, stage a valid one, and say
 * what it came to. Nothing here decides what happens next (policy.ts does).
 */
export interface AttemptContext {
  course: Course
  agent: Agent
  run: string
  /** .wicker/runs/<run> */
  runDir: string
  /** `launch --shard I/N`: its work files, logs and ledger are the shard's own, its outputs carry its id */
  shard: ShardSpec | null
  stagingDir: string
  ledger: RunLedger
  timeoutMs: number
  idleTimeoutMs: number
  graceMs: number
  /** aborted: the attempt's tree is stopped (TERM, KILL after grace) and the attempt is interrupted */
  signal: AbortSignal
  /** aborted: the tree is KILLed at once */
  killSignal?: AbortSignal
  /** stops the whole launch (aborts `signal`): for a failure of launch's own I/O */
  abort: (reason: unknown) => void
  /** work/ and logs/ exist as real folders (made once per launch) */
  folders: () => Promise<unknown>
  emit: (e: LaunchEvent) => void
  /** variables of wicker's environment the agent does not get (--upload's token: launch delivers, not the agent) */
  withheldEnv?: readonly string[]
}

export interface AttemptOutcome {
  class: AttemptClass
  message: string
  resetInMs: number | null
  /** stopped because launch was stopped (the output may still have been staged) */
  interrupted: boolean
  /** relative to the course folder */
  staged: string | null
  costUsd: number | null
}

/** Printed output is a candidate output too: it gets the same cap as an output file, at most 16 MiB. */
export function outputCap(): number {
  return Math.min(16 * 1024 ** 2, maxFileBytes())
}

const mib = (bytes: number) => (bytes >= 1024 ** 2 ? `${+(bytes / 1024 ** 2).toFixed(1)} MiB` : `${bytes} bytes`)

/** Unique per attempt: the marker spawn puts in the agent's environment and finds its processes by. */
export function newAttemptId(run: string, packet: string, attempt: number): string {
  return `${run}:${packet}:${attempt}:${randomBytes(6).toString('hex')}`
}

/**
 * Exactly what an attempt starts: the program, its argument vector, the variables wicker adds to
 * the environment, the folder it runs in, and its limits. A real attempt spawns this; `launch
 * --dry-run` prints it: one function, so the two cannot differ.
 */
export function agentInvocation(ctx: Pick<AttemptContext, 'agent' | 'run' | 'runDir' | 'shard' | 'timeoutMs' | 'idleTimeoutMs'>, p: Pick<PreparedPacket, 'id' | 'index'>, attempt: number): AgentInvocation {
  const files = launchPaths(ctx.runDir, ctx.shard)
  const outputFile = files.workFile(p.id, attempt)
  const call = {packetId: p.id, packetFile: files.packet(p.id), promptFile: files.prompt(p.id), outputFile, run: ctx.run, attempt}
  return {
    packet: p.id,
    index: p.index,
    attempt,
    command: ctx.agent.command,
    args: ctx.agent.args(call),
    env: {...ctx.agent.env, WICKER_PACKET: call.packetFile, WICKER_OUTPUT: outputFile, WICKER_RUN: ctx.run, WICKER_ATTEMPT: String(attempt), WICKER_PROMPT_FILE: call.promptFile, NO_COLOR: '1'},
    envAtStart: [MARKER],
    cwd: files.work,
    stdinFile: call.promptFile,
    timeoutMs: ctx.timeoutMs,
    idleTimeoutMs: ctx.idleTimeoutMs,
  }
}

/** wicker's environment, less what the agent must not see, plus the attempt's own variables. */
export function agentEnv(added: Record<string, string>, withheld: readonly string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, ...added}
  for (const name of withheld) delete env[name]
  return env
}

/**
 * Runs one attempt; null when launch was stopped before the agent started (the packet did not start).
 * `exited` is called once the agent has exited and its output checked valid, before that output is
 * staged and the attempt's end ledgered (the scheduler may then start the next agent meanwhile).
 */
export async function runAttempt(ctx: AttemptContext, p: PreparedPacket, packet: Packet, attempt: number, exited?: (ok: {costUsd: number | null}) => void): Promise<AttemptOutcome | null> {
  const inv = agentInvocation(ctx, p, attempt)
  await ctx.folders()
  const outputFile = inv.env.WICKER_OUTPUT!
  // attempt numbers are never reused, so nothing is normally here; in a real folder (above), unlink
  // removes a symlink itself, never its target; a folder left here is refused after the attempt
  await realDisk.unlink(outputFile).catch(() => undefined)
  const prompt = (await readCourseFile(inv.stdinFile)).toString('utf8')
  if (ctx.signal.aborted) return null

  const attemptId = newAttemptId(ctx.run, p.id, attempt)
  const startedAt = new Date().toISOString()
  let identity: ProcIdentity | null = null
  // the start entry's write is awaited (spawn awaits onStart) and its failure kept, never left unhandled
  let startFailure: unknown = null
  const result = await spawnAgent({
    command: inv.command,
    args: inv.args,
    env: agentEnv(inv.env, ctx.withheldEnv),
    cwd: inv.cwd,
    stdin: prompt,
    timeoutMs: inv.timeoutMs,
    idleTimeoutMs: inv.idleTimeoutMs,
    graceMs: ctx.graceMs,
    attemptId,
    signal: ctx.signal,
    killSignal: ctx.killSignal,
    maxOutputBytes: outputCap(),
    onStart: async (id) => {
      identity = id
      ctx.emit({type: 'start', packet: p.id, index: p.index, attempt, pid: id.pid})
      try {
        await ctx.ledger.append({event: 'start', packet: p.id, attempt, pid: id.pid, at: startedAt, attemptId, agent: ctx.agent.kind, startTime: id.startTime, bootId: id.bootId})
      } catch (error) {
        // an attempt the ledger does not know of must not run on: stop it (and the launch) now
        startFailure = error
        ctx.abort(error)
      }
    },
  })
  if (startFailure) throw startFailure
  const pid = (identity as ProcIdentity | null)?.pid ?? result.pid

  const report = ctx.agent.read(result.stdout, result.exitCode)
  const cap = outputCap()
  const candidate = await readOutput(ctx, packet, attempt, {printed: report.text, overflow: result.overflow, cap})
  const verdict = classify({
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    spawnError: result.error,
    text: `${result.stderr}\n${report.said ?? result.stdout}`,
    agentError: report.error,
    rateLimit: report.rateLimit,
    authExit: ctx.agent.authExit(result.exitCode),
    output: candidate.checked.valid ? {valid: true} : candidate.checked,
    refused: candidate.refused,
    reported: report.class ? {class: report.class, resetInMs: report.resetInMs ?? null} : null,
  })
  // ok: nothing is left to decide, so the slot is free while the output is staged and the end written
  if (verdict.class === 'ok' && !result.stopped) exited?.({costUsd: report.costUsd})

  const logBase = launchPaths(ctx.runDir, ctx.shard).logBase(p.id, attempt)
  // each attempt's logs are written once, whole: by rename, which replaces a planted symlink rather than follow it
  await writeFileAtomic(`${logBase}.stdout`, result.stdout, {durable: false})
  await writeFileAtomic(`${logBase}.stderr`, result.stderr, {durable: false})
  const accepted = await stageChecked(ctx, packet, attempt, candidate)
  const staged = accepted.staged
  const checked = accepted.checked

  // Stopped by launch's own stop: interrupted, unless it had finished by itself (then it ended as any other).
  const interrupted = result.stopped
  const message = interrupted ? (checked.valid ? 'launch was stopped; the output was complete and valid, and is staged' : 'launch was stopped while it ran') : verdict.message
  const at = new Date().toISOString()
  await ctx.ledger.append({
    event: interrupted ? 'interrupted' : 'end',
    packet: p.id,
    attempt,
    pid,
    at,
    attemptId,
    agent: ctx.agent.kind,
    start: startedAt,
    end: at,
    durationMs: result.durationMs,
    class: interrupted && !checked.valid ? undefined : verdict.class,
    exitCode: result.exitCode,
    signal: result.signal,
    message,
    tokens: report.tokens,
    costUsd: report.costUsd,
    staged,
    ...(result.leftovers > 0 ? {leftovers: result.leftovers} : {}),
  })
  if (interrupted) ctx.emit({type: 'interrupted', packet: p.id, index: p.index, attempt, staged})
  else ctx.emit({type: 'end', packet: p.id, index: p.index, attempt, class: verdict.class, message: verdict.message, durationMs: result.durationMs, staged, costUsd: report.costUsd})
  return {class: verdict.class, message: interrupted ? message : verdict.message, resetInMs: verdict.resetInMs, interrupted, staged, costUsd: report.costUsd}
}

/**
 * Accepts or refuses an attempt's output and stages a valid one: what the agent left at its output
 * path (work/<packet>__<attempt>.json, read by readWorkOutput's rule), or else the JSON in what it
 * printed. Used for every attempt, and for one a killed launch left behind (`printed` is then lost).
 */
export async function acceptOutput(
  ctx: Pick<AttemptContext, 'course' | 'run' | 'runDir' | 'shard' | 'stagingDir'>,
  packet: Packet,
  attempt: number,
  printed: {printed: string; overflow: 'stdout' | 'stderr' | null; cap: number},
): Promise<Accepted> {
  return stageChecked(ctx, packet, attempt, await readOutput(ctx, packet, attempt, printed))
}

type Checked = {valid: true; json: unknown} | {valid: false; reason: string}
type Accepted = {checked: Checked; refused: string | null; staged: string | null}

/** acceptOutput's first half: the candidate output read and checked, nothing written. */
async function readOutput(
  ctx: Pick<AttemptContext, 'course' | 'runDir' | 'shard'>,
  packet: Packet,
  attempt: number,
  printed: {printed: string; overflow: 'stdout' | 'stderr' | null; cap: number},
): Promise<{checked: Checked; refused: string | null}> {
  const outputFile = launchPaths(ctx.runDir, ctx.shard).workFile(packet.id, attempt)
  const work = await readWorkOutput(outputFile)
  let refused: string | null = null
  // A file at the output path is judged whatever was printed: too much printing refuses only the
  // printed candidate, never a finished output the agent wrote before it went on talking.
  if (work.kind === 'refused') refused = `${relative(ctx.course.dir, outputFile)}: ${work.message}`
  else if (work.kind !== 'bytes' && printed.overflow) refused = `printed more than ${mib(printed.cap)} on ${printed.overflow} (it was stopped)`
  const bytes = refused ? null : work.kind === 'bytes' ? work.bytes : Buffer.from(printed.printed, 'utf8')
  const checked = bytes === null ? {valid: false as const, reason: refused!} : bytes.length > 0 ? await checkOutput(bytes, packet, ctx.course) : {valid: false as const, reason: 'no output'}
  return {checked, refused}
}

/** acceptOutput's second half: a valid output staged (atomically, never over a file). */
async function stageChecked(ctx: Pick<AttemptContext, 'course' | 'run' | 'shard' | 'stagingDir'>, packet: Packet, attempt: number, read: {checked: Checked; refused: string | null}): Promise<Accepted> {
  let staged: string | null = null
  if (read.checked.valid) staged = relative(ctx.course.dir, await stageOutput(ctx.stagingDir, stagedName(ctx.run, packet.id, attempt, ctx.shard), `${JSON.stringify(read.checked.json, null, 2)}\n`))
  return {...read, staged}
}
