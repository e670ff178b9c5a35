import {existsSync} from 'node:fs'
import {hostname} from 'node:os'

import type {Course} from '../course/model.js'
import {launchName} from '../extract/candidate.js'
import {ledgerWarnings, readLedger} from '../launch/ledger.js'
import {stagedOutputs, validOutputs} from '../launch/output.js'
import {shardText, type ShardSpec} from '../schemas/run-plan.js'
import {assignShards} from '../segments/shards.js'
import {readRunPlan} from '../segments/run.js'
import {realDisk} from '../store/disk.js'
import {heldNow, inspectLock, isStale, shownLockId} from '../store/lock.js'
import type {LockDocument} from '../store/lock-read.js'
import {folderLockPaths, launchPaths} from '../store/paths.js'
import {shardFolders} from '../store/shard-folders.js'

/**
 * Where one run stands, shard by shard, and the proof that gathering lost nothing: every packet of
 * the run is done (a valid output in staging, by launch's own rule) in exactly one shard's outputs,
 * or is listed as missing with the shard that should have done it. Which shard made an output is
 * in its name (`__shard-I-of-N`), so the proof holds after the outputs of N machines were
 * collected into one staging folder.
 */
export interface ShardProgress {
  /** "I/N" */
  shard: string
  packets: number
  legos: number
  done: number
  missing: number
  /** from the shard's ledger, when it is on this machine (null when it is not) */
  attempts: number | null
  /** packets whose last attempt in the shard's ledger failed and that have no valid output */
  failed: number | null
  /** a launcher holds the shard now (or its lock is from another host, which cannot be judged from here) */
  active: boolean
  /** the shard's lock, when there is one: its id is what `wicker unlock --lock-id` takes */
  lock: {lockId: string; command: string; pid: number; host: string; stale: boolean; thisHost: boolean} | null
}

export interface RunProgress {
  run: string
  /** N: the plan's --shards, else the count the outputs' names carry, else 1 */
  shards: number
  packets: number
  done: number
  /** every packet done, each by one shard only */
  complete: boolean
  perShard: ShardProgress[]
  missing: Array<{packet: string; index: number; shard: string}>
  /** packets with valid outputs from more than one shard (or from a shard and an unsharded launch) */
  duplicates: Array<{packet: string; index: number; shards: string[]}>
}

/** The shard count an unlaid-out run was launched with, from its outputs' names: the one count they agree on, else 1. */
function countFromNames(names: Iterable<ShardSpec | null>): number {
  const counts = new Set<number>()
  for (const s of names) if (s) counts.add(s.count)
  return counts.size === 1 ? [...counts][0]! : 1
}

function lockOf(holder: LockDocument | null): ShardProgress['lock'] {
  if (holder === null) return null
  // shown, never used in a path
  if (holder.kind === 'bad') return {lockId: shownLockId(holder.lockId) ?? '(unreadable)', command: '?', pid: -1, host: '?', stale: false, thisHost: false}
  const {lockId, command, pid, host} = holder.info
  return {lockId, command, pid, host, stale: isStale(holder.info), thisHost: host === hostname()}
}

export async function runProgress(course: Course, run: string, stagingDirs: readonly string[], warnings: string[]): Promise<RunProgress> {
  const {plan, packets, dir} = await readRunPlan(course.dir, run)
  const staged = await stagedOutputs(stagingDirs, course.dir, run)
  const madeBy = new Map<string, Set<string>>()
  const seen: Array<ShardSpec | null> = []
  for (const p of plan.packets) {
    const labels = new Set<string>()
    for await (const entry of validOutputs(staged, packets.get(p.id)!, course)) {
      const shard = launchName(entry.path)?.shard ?? null
      seen.push(shard)
      labels.add(shard && shard.count > 1 ? shardText(shard) : 'unsharded')
    }
    madeBy.set(p.id, labels)
  }
  const count = plan.shards ?? countFromNames(seen)
  const shardOf = assignShards(plan.packets, count)
  // only real folders are read (a symlinked shards/I-of-N/ is reported by shardFolders, never followed)
  const real = new Set((await shardFolders(dir, warnings)).map((s) => s.dir))
  const perShard: ShardProgress[] = []
  for (let index = 1; index <= count; index++) {
    const spec = {index, count}
    const mine = plan.packets.filter((p) => shardOf.get(p.index) === index)
    const files = launchPaths(dir, spec)
    let attempts: number | null = null
    let failed: number | null = null
    const readable = files.shardDir === null || real.has(files.shardDir)
    if (readable && existsSync(files.ledger)) {
      const read = await readLedger(files.ledger)
      warnings.push(...ledgerWarnings(files.ledger, read))
      const ended = read.entries.filter((e) => e.event !== 'start')
      attempts = ended.length
      const last = new Map(ended.map((e) => [e.packet, e]))
      failed = mine.filter((p) => (madeBy.get(p.id)?.size ?? 0) === 0 && last.has(p.id) && !last.get(p.id)!.staged).length
    }
    const holder = readable ? await inspectLock(realDisk, folderLockPaths(course.dir, files.shardDir ?? dir)) : null
    const done = mine.filter((p) => (madeBy.get(p.id)?.size ?? 0) > 0).length
    perShard.push({shard: shardText(spec), packets: mine.length, legos: mine.reduce((n, p) => n + p.legos, 0), done, missing: mine.length - done, attempts, failed, active: heldNow(holder), lock: lockOf(holder)})
  }
  const missing = plan.packets.filter((p) => (madeBy.get(p.id)?.size ?? 0) === 0).map((p) => ({packet: p.id, index: p.index, shard: shardText({index: shardOf.get(p.index)!, count})}))
  const duplicates = plan.packets.filter((p) => (madeBy.get(p.id)?.size ?? 0) > 1).map((p) => ({packet: p.id, index: p.index, shards: [...madeBy.get(p.id)!].sort()}))
  const done = plan.packets.length - missing.length
  return {run, shards: count, packets: plan.packets.length, done, complete: missing.length === 0 && duplicates.length === 0, perShard, missing, duplicates}
}
