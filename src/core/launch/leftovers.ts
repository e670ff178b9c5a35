import {lstat} from 'node:fs/promises'
import {join} from 'node:path'

import {stopLeftover} from '../proc/spawn.js'
import type {Packet} from '../segments/packets.js'
import {launchPaths} from '../store/paths.js'
import {checkRealFolder} from '../store/wicker-folder.js'
import {acceptOutput, outputCap, type AttemptContext} from './attempt.js'
import {stagedName} from './output.js'
import {isAlive} from '../proc/identity.js'
import type {LedgerStart, RunLedger} from './ledger.js'

/**
 * Attempts an earlier launch left running when it was killed (a start entry with no end): each is
 * stopped with its whole tree, but only once core/proc has proved it is still that attempt (same
 * boot, same start time, its WICKER_ATTEMPT_ID marker), so a pid reused by an unrelated process is
 * never signalled. An entry without that identity (an older ledger, or one planted in the course)
 * is never signalled at all. An output such an attempt had finished is not lost: once it is stopped,
 * `salvage` accepts and stages it by the rule of every attempt. Each is then closed in the ledger
 * with an `interrupted` entry, so the next launch does not look at it again.
 */
export async function stopLeftovers(unfinished: readonly LedgerStart[], ledger: RunLedger, graceMs: number, salvage: (e: LedgerStart) => Promise<string | null>): Promise<string[]> {
  const warnings: string[] = []
  const outcomes = await Promise.all(
    unfinished.map(async (e) => {
      const what = `attempt ${e.attempt} of ${e.packet} (pid ${e.pid ?? '?'})`
      if (e.pid === null) return {e, message: 'left by an earlier launch that was killed; it never started'}
      if (e.attemptId === undefined || e.startTime === undefined || e.bootId === undefined) {
        if (isAlive(e.pid)) warnings.push(`${what} has no end in the ledger, but no identity to prove it is still wicker's (an older or edited ledger): it was not signalled; if it is still running, stop it yourself`)
        return {e, message: 'left by an earlier launch; no identity recorded, so it was not signalled'}
      }
      const stopped = await stopLeftover({pid: e.pid, startTime: e.startTime, bootId: e.bootId, attemptId: e.attemptId}, graceMs)
      if (stopped === 'stopped') warnings.push(`stopped ${what}, left running by an earlier launch that was killed`)
      return {e, message: stopped === 'stopped' ? 'left running by an earlier launch that was killed; stopped' : stopped === 'gone' ? 'left by an earlier launch that was killed; it had already ended' : 'left by an earlier launch that was killed; its pid now belongs to another process, which was left alone'}
    }),
  )
  for (const {e, message} of outcomes) {
    const staged = await salvage(e)
    if (staged) warnings.push(`attempt ${e.attempt} of ${e.packet} had finished its output before its launch was killed: staged as ${staged}`)
    await ledger.append({event: 'interrupted', packet: e.packet, attempt: e.attempt, pid: e.pid, at: new Date().toISOString(), ...(e.attemptId === undefined ? {} : {attemptId: e.attemptId}), ...(e.agent === undefined ? {} : {agent: e.agent}), message, staged, ...(staged ? {class: 'ok' as const} : {})})
  }
  return warnings
}

/**
 * The output a left-behind attempt had finished, accepted by the rule of every attempt (its printed
 * output went with the killed launch: only the file counts) and staged under the attempt's own name.
 */
export async function salvageOutput(ctx: Pick<AttemptContext, 'course' | 'run' | 'runDir' | 'shard' | 'stagingDir'>, packet: Packet | undefined, attempt: number): Promise<string | null> {
  // a packet the run does not have (a planted entry) has nothing to salvage; a name already taken in
  // staging is judged by the done-detection, never replaced
  if (!packet || (await lstat(join(ctx.stagingDir, stagedName(ctx.run, packet.id, attempt, ctx.shard))).then(() => true, () => false))) return null
  // read only from the run's own real work/ folder (a symlink there is refused, as for every attempt)
  await checkRealFolder(ctx.course.dir, launchPaths(ctx.runDir, ctx.shard).work)
  return (await acceptOutput(ctx, packet, attempt, {printed: '', overflow: null, cap: outputCap()})).staged
}
