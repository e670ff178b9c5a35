import {join} from 'node:path'

import {spawnAgent, type ProcIdentity} from '../proc/spawn.js'
import type {Packet, PreparedPacket} from '../segments/packets.js'
import {loadTemplate, render} from '../segments/prompt.js'
import {orchestratorValues} from '../segments/values.js'
import {writeFileAtomic} from '../store/atomic-write.js'
import {realDisk} from '../store/disk.js'
import {launchPaths, type LaunchPaths} from '../store/paths.js'
import {acceptOutput, agentEnv, newAttemptId, outputCap, type AttemptContext, type AttemptOutcome} from './attempt.js'
import {classify} from './classify.js'

/**
 * `launch --sessions orchestrator`: one agent session for a group of packets, which drives its own
 * workers (the rendered orchestrator prompt). wicker still owns the rest: the session runs under the
 * same timeouts and stop as any attempt, every packet of the group gets its own attempt number,
 * work file, ledger start and end, and a packet is done only when a valid output is at its work
 * file once the session ended (staged by the rule of every attempt). What the session printed is
 * never a packet's output: a packet whose file is missing is judged from how the session went.
 */
export interface SessionItem {
  prepared: PreparedPacket
  packet: Packet
  attempt: number
}

/** The session's name in the ledger and its logs: its prepared group and its first packet's attempt (unique). */
export function sessionLabel(items: readonly SessionItem[]): string {
  const first = items[0]!
  return `orchestrator-s${first.prepared.segment + 1}-o${first.prepared.orchestrator + 1}-${first.prepared.id}-${first.attempt}`
}

/**
 * The orchestrator prompt of one session: the bundled orchestrator template rendered for the
 * packets of this session (not the whole prepared group: some may be done), then where each
 * worker writes. A worker prompt names $WICKER_OUTPUT, which the session cannot set apart for each
 * worker, so the files are given here, one per packet.
 */
export async function orchestratorPrompt(ctx: Pick<AttemptContext, 'course' | 'run' | 'runDir' | 'shard'>, items: readonly SessionItem[]): Promise<string> {
  const files = launchPaths(ctx.runDir, ctx.shard)
  const template = await loadTemplate(null, 'orchestrator')
  const first = items[0]!.prepared
  const text = render(template, orchestratorValues(ctx.course, ctx.run, first.segment, first.orchestrator, items.map((i) => i.prepared), files))
  return `${text.trimEnd()}\n\n${outputsSection(items, files)}`
}

export function outputsSection(items: readonly SessionItem[], files: Pick<LaunchPaths, 'prompt' | 'workFile'>): string {
  const lines = items.map((i) => `- ${i.prepared.id}: prompt ${files.prompt(i.prepared.id)}\n  output ${files.workFile(i.prepared.id, i.attempt)}`)
  return [
    '## Where each worker writes (this session)',
    'Each worker prompt says to write its JSON to $WICKER_OUTPUT. In this session that is a different file for each packet: tell each worker its own file below (or start it with WICKER_OUTPUT set to that file). A packet counts as done only when a valid JSON document is in its file when this session ends.',
    '',
    ...lines,
    '',
  ].join('\n')
}

/** Runs one session for `items`; null for each packet when launch was stopped before it started. */
export async function runSession(ctx: AttemptContext, items: readonly SessionItem[]): Promise<Array<AttemptOutcome | null>> {
  const files = launchPaths(ctx.runDir, ctx.shard)
  await ctx.folders()
  // attempt numbers are never reused, so nothing is normally there (unlink never follows a symlink)
  for (const i of items) await realDisk.unlink(files.workFile(i.prepared.id, i.attempt)).catch(() => undefined)
  const prompt = await orchestratorPrompt(ctx, items)
  if (ctx.signal.aborted) return items.map(() => null)

  const label = sessionLabel(items)
  // the session's prompt and logs: logs/<label>.prompt.md, .stdout, .stderr
  const logBase = join(files.logs, label)
  const promptFile = `${logBase}.prompt.md`
  await writeFileAtomic(promptFile, prompt, {durable: false})
  const attemptId = newAttemptId(ctx.run, items[0]!.prepared.id, items[0]!.attempt)
  const startedAt = new Date().toISOString()
  const args = ctx.agent.sessionArgs!({promptFile, workDir: files.work, run: ctx.run})
  let identity: ProcIdentity | null = null
  let startFailure: unknown = null
  const result = await spawnAgent({
    command: ctx.agent.command,
    args,
    env: agentEnv({WICKER_RUN: ctx.run, WICKER_SESSION: label, WICKER_PROMPT_FILE: promptFile, WICKER_WORK_DIR: files.work, NO_COLOR: '1'}, ctx.withheldEnv),
    cwd: files.work,
    stdin: prompt,
    timeoutMs: ctx.timeoutMs,
    idleTimeoutMs: ctx.idleTimeoutMs,
    graceMs: ctx.graceMs,
    attemptId,
    signal: ctx.signal,
    killSignal: ctx.killSignal,
    maxOutputBytes: outputCap(),
    onStart: async (id) => {
      identity = id
      try {
        // every packet of the group is started by this one process: each has its start entry, with the session's identity
        for (const i of items) {
          ctx.emit({type: 'start', packet: i.prepared.id, index: i.prepared.index, attempt: i.attempt, pid: id.pid})
          await ctx.ledger.append({event: 'start', packet: i.prepared.id, attempt: i.attempt, pid: id.pid, at: startedAt, attemptId, agent: ctx.agent.kind, session: label, startTime: id.startTime, bootId: id.bootId})
        }
      } catch (error) {
        startFailure = error
        ctx.abort(error)
      }
    },
  })
  if (startFailure) throw startFailure
  const pid = (identity as ProcIdentity | null)?.pid ?? result.pid
  await writeFileAtomic(`${logBase}.stdout`, result.stdout, {durable: false})
  await writeFileAtomic(`${logBase}.stderr`, result.stderr, {durable: false})
  const report = ctx.agent.read(result.stdout, result.exitCode)
  // the session's cost and tokens, shared out over its packets (their sum is what it reported)
  const share = <T extends number | null>(v: T) => (v === null ? null : v / items.length)
  const tokens = report.tokens ? {input: report.tokens.input / items.length, output: report.tokens.output / items.length} : null
  const costUsd = share(report.costUsd)

  const outcomes: AttemptOutcome[] = []
  for (const i of items) {
    const accepted = await acceptOutput(ctx, i.packet, i.attempt, {printed: '', overflow: result.overflow, cap: outputCap()})
    const verdict = classify({
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      spawnError: result.error,
      text: `${result.stderr}\n${report.said ?? result.stdout}`,
      agentError: report.error,
      authExit: ctx.agent.authExit(result.exitCode),
      output: accepted.checked.valid ? {valid: true} : accepted.checked,
      refused: accepted.refused,
      rateLimit: report.rateLimit,
    })
    // a packet without its file after a session that went well: the orchestrator did not see to it
    const message = !accepted.checked.valid && verdict.class === 'invalid-output' && !accepted.refused ? `the session ended without a valid output for this packet (${accepted.checked.reason})` : verdict.message
    const interrupted = result.stopped
    const said = interrupted ? (accepted.checked.valid ? 'launch was stopped; the output was complete and valid, and is staged' : 'launch was stopped while the session ran') : message
    const at = new Date().toISOString()
    await ctx.ledger.append({
      event: interrupted ? 'interrupted' : 'end',
      packet: i.prepared.id,
      attempt: i.attempt,
      pid,
      at,
      attemptId,
      agent: ctx.agent.kind,
      session: label,
      start: startedAt,
      end: at,
      durationMs: result.durationMs,
      class: interrupted && !accepted.checked.valid ? undefined : verdict.class,
      exitCode: result.exitCode,
      signal: result.signal,
      message: said,
      tokens,
      costUsd,
      staged: accepted.staged,
      ...(result.leftovers > 0 ? {leftovers: result.leftovers} : {}),
    })
    const staged = accepted.staged
    if (interrupted) ctx.emit({type: 'interrupted', packet: i.prepared.id, index: i.prepared.index, attempt: i.attempt, staged})
    else ctx.emit({type: 'end', packet: i.prepared.id, index: i.prepared.index, attempt: i.attempt, class: verdict.class, message, durationMs: result.durationMs, staged, costUsd})
    outcomes.push({class: verdict.class, message: said, resetInMs: verdict.resetInMs, interrupted, staged, costUsd})
  }
  return outcomes
}
