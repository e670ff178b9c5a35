import {UsageError} from '../errors.js'
import {shardText, type ShardSpec} from '../schemas/run-plan.js'
import type {PreparedPacket, RunPlan} from '../schemas/run-plan.js'

/**
 * Which packets each of N machines runs. A pure function of the prepared run, so every machine
 * with the same plan computes the same split and no packet is run twice: packets (seed-atomic,
 * kept whole) go largest first to the shard with the fewest LEGOs so far (ties: the lower packet
 * number, the lower shard), the classic longest-first balance, within a packet's size of even.
 * Within a shard the packets keep the run's order (segments still run one after another).
 */
export function assignShards(packets: ReadonlyArray<Pick<PreparedPacket, 'index' | 'legos'>>, count: number): Map<number, number> {
  const load = Array.from({length: count}, () => 0)
  const shardOf = new Map<number, number>()
  const order = [...packets].sort((a, b) => b.legos - a.legos || a.index - b.index)
  for (const p of order) {
    let best = 0
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s
    load[best]! += p.legos
    shardOf.set(p.index, best + 1)
  }
  return shardOf
}

export interface ShardLayout {
  shard: number
  packets: number
  legos: number
  /** packet numbers (index in the run), in run order */
  indexes: number[]
}

/** The shards of a run, each with its packets and LEGO count. */
export function shardLayout(packets: ReadonlyArray<Pick<PreparedPacket, 'index' | 'legos'>>, count: number): ShardLayout[] {
  const shardOf = assignShards(packets, count)
  const layout: ShardLayout[] = Array.from({length: count}, (_, i) => ({shard: i + 1, packets: 0, legos: 0, indexes: []}))
  for (const p of [...packets].sort((a, b) => a.index - b.index)) {
    const s = layout[shardOf.get(p.index)! - 1]!
    s.packets++
    s.legos += p.legos
    s.indexes.push(p.index)
  }
  return layout
}

/**
 * The packet numbers of `shard` in `plan`. A run laid out by `prepare-segments --shards N` is run
 * in N shards only: another count would split it differently, and two machines could do the same
 * packet.
 */
export function shardPackets(plan: Pick<RunPlan, 'run' | 'packets' | 'shards'>, shard: ShardSpec): Set<number> {
  if (plan.shards !== undefined && plan.shards !== shard.count) {
    throw new UsageError({
      code: 'E_SHARD_COUNT',
      message: `run ${plan.run} was laid out in ${plan.shards} shard(s) by prepare-segments, so --shard ${shardText(shard)} would split it another way (and two machines could run the same packet).`,
      hint: `Pass --shard I/${plan.shards}, or prepare the run again with --shards ${shard.count}.`,
      details: {run: plan.run, shards: plan.shards, shard: shardText(shard)},
    })
  }
  return new Set([...assignShards(plan.packets, shard.count)].filter(([, s]) => s === shard.index).map(([index]) => index))
}
