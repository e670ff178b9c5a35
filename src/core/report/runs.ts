import {InputError, UsageError} from '../errors.js'
import type {AgentKind} from '../launch/agents.js'
import {ledgerWarnings, readLedger, stagedAttempt, type LedgerEntry} from '../launch/ledger.js'
import type {ReportRun} from '../schemas/report.js'
import {parseRunPlan, shardText} from '../schemas/run-plan.js'
import {realDisk} from '../store/disk.js'
import {runPaths} from '../store/paths.js'
import {readJsonFile} from '../store/read-json.js'
import {launcherFolders, runFolders} from '../store/shard-folders.js'

/** One prepared run as its files tell it: the plan's packet count and every ledger (the run's own, then each shard's). */
export interface RunLedgers {
  run: string
  packets: number | null
  ledgers: Array<{shard: string | null; entries: LedgerEntry[]}>
}

const key = (e: {packet: string; attempt: number}) => `${e.packet}#${e.attempt}`

/** Ended attempts with the tokens and cost they report (null when none reports any). */
class Spend {
  attempts = 0
  private tokens: {input: number; output: number} | null = null
  private costUsd: number | null = null
  add(e: {tokens?: {input: number; output: number} | null; costUsd?: number | null}): void {
    this.attempts++
    if (e.tokens) this.tokens = {input: (this.tokens?.input ?? 0) + e.tokens.input, output: (this.tokens?.output ?? 0) + e.tokens.output}
    if (typeof e.costUsd === 'number') this.costUsd = (this.costUsd ?? 0) + e.costUsd
  }
  shown() {
    return {tokens: this.tokens, costUsd: this.costUsd}
  }
}

/** What a run's ledgers say, attempt by attempt and in total. Pure. */
export function summarizeRun(input: RunLedgers): ReportRun {
  const attempts: ReportRun['attempts'] = []
  const ok = new Set<string>()
  const failures: ReportRun['failures'] = {}
  const shards = new Set<string>()
  let interrupted = 0
  const total = new Spend()
  const byAgent = new Map<AgentKind | null, Spend>()
  for (const ledger of input.ledgers) {
    if (ledger.shard !== null) shards.add(ledger.shard)
    const ended = new Set(ledger.entries.filter((e) => e.event !== 'start').map(key))
    for (const e of ledger.entries) {
      const shard = e.shard ?? ledger.shard
      if (e.event === 'start') {
        // an attempt a killed launch left running: shown, never counted as a failure
        if (!ended.has(key(e))) attempts.push({packet: e.packet, attempt: e.attempt, shard, event: 'start', start: e.at, durationMs: null, class: null, tokens: null, costUsd: null, agent: e.agent ?? null})
        continue
      }
      attempts.push({packet: e.packet, attempt: e.attempt, shard, event: e.event, start: e.start ?? null, durationMs: e.durationMs ?? null, class: e.class ?? null, tokens: e.tokens ?? null, costUsd: e.costUsd ?? null, agent: e.agent ?? null})
      if (stagedAttempt(e)) ok.add(e.packet)
      if (e.event === 'interrupted') interrupted++
      else if (e.class && e.class !== 'ok') failures[e.class] = (failures[e.class] ?? 0) + 1
      total.add(e)
      const agent = e.agent ?? null
      if (!byAgent.has(agent)) byAgent.set(agent, new Spend())
      byAgent.get(agent)!.add(e)
    }
  }
  return {run: input.run, packets: input.packets, shards: [...shards], attempts, ok: ok.size, failures, interrupted, ...total.shown(), byAgent: [...byAgent].map(([agent, spend]) => ({agent, attempts: spend.attempts, ...spend.shown()}))}
}

/**
 * Every prepared run of the course (.wicker/runs/<run>/) with its ledgers, read-only. A run folder,
 * `shards/` or a shard folder that is a symbolic link is reported and not followed (shardFolders);
 * a plan that does not check leaves the packet count unknown; ledger lines that do not check are
 * reported and not counted.
 */
export async function readRuns(courseDir: string, warnings: string[]): Promise<RunLedgers[]> {
  const runs: RunLedgers[] = []
  for await (const {run, dir} of runFolders(realDisk, courseDir, warnings)) {
    const files = runPaths(dir)
    let packets: number | null = null
    if (realDisk.exists(files.plan)) {
      try {
        packets = parseRunPlan((await readJsonFile(files.plan, 'Run plan')).value, files.plan, run).packets.length
      } catch (error) {
        if (!(error instanceof InputError || error instanceof UsageError)) throw error
        warnings.push(`run ${run}: ${error.message}`)
      }
    }
    const ledgers: RunLedgers['ledgers'] = []
    for (const where of await launcherFolders(dir, warnings)) {
      const file = runPaths(where.dir).ledger
      if (!realDisk.exists(file)) continue
      const read = await readLedger(file)
      warnings.push(...ledgerWarnings(file, read))
      ledgers.push({shard: where.shard ? shardText(where.shard) : null, entries: read.entries})
    }
    runs.push({run, packets, ledgers})
  }
  return runs
}
