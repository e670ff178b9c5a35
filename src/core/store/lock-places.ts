import {shardText} from '../schemas/run-plan.js'
import type {Disk} from './disk.js'
import {folderLockPaths, wickerPaths, type WickerPaths} from './paths.js'
import {launcherFolders, runFolders} from './shard-folders.js'

/** One place a writer's lock can be: its folder (`root`, where its token and stale copy go) and the lock file. */
export interface LockPlace {
  /** what holds it: 'the course', 'run R', 'run R, shard I/N' */
  what: string
  paths: WickerPaths
}

/**
 * Every place a lock of this course can be: the course's (.wicker/lock), each run's
 * (.wicker/runs/<run>/lock, an unsharded launch) and each shard's (.wicker/runs/<run>/shards/I-of-N/lock).
 * Only real folders are listed: a symlink at runs/, at a run or at a shard folder is reported in
 * `warnings` and never followed, so nothing outside the course is read or moved.
 */
export async function lockPlaces(disk: Disk, courseDir: string, warnings: string[] = []): Promise<LockPlace[]> {
  const places: LockPlace[] = [{what: 'the course', paths: wickerPaths(courseDir)}]
  for await (const {run, dir} of runFolders(disk, courseDir, warnings)) {
    for (const f of await launcherFolders(dir, warnings)) places.push({what: f.shard ? `run ${run}, shard ${shardText(f.shard)}` : `run ${run}`, paths: folderLockPaths(courseDir, f.dir)})
  }
  return places
}
