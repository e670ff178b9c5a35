import type {PreparedPacket} from '../segments/packets.js'

/**
 * What a launch runs, decided from data alone: the run's packets, the ledger's history and the
 * outputs already accepted in staging. No disk here (launch.ts reads, this decides), so every rule
 * is a table test away.
 */
export interface SelectInput {
  /** the run's packets, in plan order */
  packets: readonly PreparedPacket[]
  /** 1-based packet numbers picked with --only, or null for all */
  only: ReadonlySet<number> | null
  /** --retry-failed: only packets with an ended attempt and no accepted output */
  retryFailed: boolean
  /** packets the ledger has an ended attempt of */
  attempted: ReadonlySet<string>
  /** packet → its accepted output (a valid staged file, by extract's rule), for those done */
  done: ReadonlyMap<string, string>
}

export interface Selection {
  todo: PreparedPacket[]
  skipped: Array<{packet: PreparedPacket; reason: string}>
  /** the packets picked (all, or those of --only): todo + skipped */
  picked: number
}

export function selectPackets(input: SelectInput): Selection {
  const todo: PreparedPacket[] = []
  const skipped: Selection['skipped'] = []
  for (const p of input.packets) {
    if (input.only && !input.only.has(p.index)) continue
    const done = input.done.get(p.id)
    if (done !== undefined) skipped.push({packet: p, reason: `done: ${done}`})
    else if (input.retryFailed && !input.attempted.has(p.id)) skipped.push({packet: p, reason: 'never attempted (--retry-failed runs only failed packets)'})
    else todo.push(p)
  }
  return {todo, skipped, picked: todo.length + skipped.length}
}

