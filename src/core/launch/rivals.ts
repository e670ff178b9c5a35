import {BlockedError} from '../errors.js'
import {shardText, type ShardSpec} from '../schemas/run-plan.js'
import {realDisk} from '../store/disk.js'
import {inspectLock, isStale} from '../store/lock.js'
import {folderLockPaths, runPaths} from '../store/paths.js'
import {launcherFolders} from '../store/shard-folders.js'

/** A launcher that holds a lock of the same run split another way: who, and the lock (its id null when wicker cannot read it). */
export interface Rival {
  who: string
  command: string
  pid: number
  host: string
  lockId: string | null
  lock: string
}

/**
 * Launchers of one run that split it another way. Shards of one count share a run (their packets
 * are disjoint), but a launch of the whole run, or of a shard of another count, would start packets
 * a running launcher also starts: the same sessions paid twice. Each launcher takes its own lock
 * first and then looks at the others', so of two starting at once at least one sees the other (at
 * worst both stop, and nothing runs twice).
 */
export async function rivalLaunchers(courseDir: string, runDir: string, shard: ShardSpec | null, warnings: string[]): Promise<Rival[]> {
  const mine = shard && shard.count > 1 ? shard.count : 1
  const others = (await launcherFolders(runDir, warnings)).map((f) => ({who: f.shard ? `shard ${shardText(f.shard)}` : 'the whole run', count: f.shard?.count ?? 1, dir: f.dir}))
  const rivals: Rival[] = []
  for (const other of others) {
    if (other.count === mine) continue
    const doc = await inspectLock(realDisk, folderLockPaths(courseDir, other.dir))
    if (doc === null) continue
    if (doc.kind === 'bad') rivals.push({who: other.who, command: '(a lock wicker cannot read)', pid: -1, host: '?', lockId: null, lock: runPaths(other.dir).lock})
    else if (!isStale(doc.info)) rivals.push({who: other.who, command: doc.info.command, pid: doc.info.pid, host: doc.info.host, lockId: doc.info.lockId, lock: runPaths(other.dir).lock})
  }
  return rivals
}

export function rivalsError(run: string, shard: ShardSpec | null, rivals: readonly Rival[]): BlockedError {
  const first = rivals[0]!
  const me = shard && shard.count > 1 ? `shard ${shardText(shard)}` : 'the whole run'
  return new BlockedError({
    code: 'E_RUN_SPLIT',
    message: `run ${run} is being launched as ${first.who} right now (${first.command}, pid ${first.pid} on ${first.host}${rivals.length > 1 ? `, and ${rivals.length - 1} more` : ''}), so launching ${me} would start packets it starts too. Nothing was started.`,
    hint: `Wait for it to finish, or launch with the same split (--shard I/N with its N). ${
      first.lockId === null
        ? `If no wicker process is launching this run, delete ${first.lock} by hand (wicker cannot read it).`
        : `If that launcher is gone (killed, or its machine, runner or pod stopped), remove its lock with: wicker unlock <course> --lock-id ${first.lockId}`
    }`,
    details: {run, rivals},
  })
}
