import {UsageError} from '../errors.js'
import type {PreparedPacket} from '../segments/run.js'

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

/**
 * `--only 1,3-5` → packet numbers. Every number must name a packet of the run: a number past the
 * end is a usage error naming the valid range, never a silent "nothing to do".
 */
export function parseOnly(spec: string, max: number): Set<number> {
  const out = new Set<number>()
  const range = max === 1 ? 'packet 1' : `packets 1 to ${max}`
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part)
    if (!m) throw new UsageError({code: 'E_ONLY', message: `--only ${spec}: "${part}" is not a packet number or range.`, hint: `Write packet numbers as shown by prepare-segments, e.g. 1,3-5 (this run has ${range}).`})
    const a = Number(m[1])
    const b = m[2] ? Number(m[2]) : a
    const [low, high] = [Math.min(a, b), Math.max(a, b)]
    if (low < 1 || high > max) {
      throw new UsageError({code: 'E_ONLY', message: `--only ${spec}: ${part.trim()} is outside the run, which has ${range}.`, hint: `Pick numbers from 1 to ${max}.`, details: {only: spec, max}})
    }
    for (let i = low; i <= high; i++) out.add(i)
  }
  return out
}
