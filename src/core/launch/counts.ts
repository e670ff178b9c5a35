import type {PreparedPacket} from '../segments/packets.js'
import type {SegmentTally} from './types.js'

/** What became of each packet picked: ok (an output staged), interrupted, failed, or never started. */
export function countOutcomes(packets: readonly PreparedPacket[], outcomes: ReadonlyMap<string, {staged: boolean; interrupted: boolean}>): Pick<SegmentTally, 'ok' | 'failed' | 'interrupted' | 'notStarted'> {
  const counts = {ok: 0, failed: 0, interrupted: 0, notStarted: 0}
  for (const p of packets) {
    const o = outcomes.get(p.id)
    if (!o) counts.notStarted++
    else if (o.staged) counts.ok++
    else if (o.interrupted) counts.interrupted++
    else counts.failed++
  }
  return counts
}
