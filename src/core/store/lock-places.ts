import {join} from 'node:path'

import {ioError} from '../errors.js'
import {RUN_NAME, shardText} from '../schemas/run-plan.js'
import type {Disk} from './disk.js'
import {wickerPaths, type WickerPaths} from './paths.js'
import {shardFolders} from './shard-folders.js'

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
  const course = wickerPaths(courseDir)
  const places: LockPlace[] = [{what: 'the course', paths: course}]
  const runs = await disk.lstat(course.runs).catch((error) => {
    throw ioError(error, course.runs, 'look at')
  })
  if (runs?.kind === 'symlink') warnings.push(`${course.runs} is a symbolic link: not followed (wicker makes it as a real folder)`)
  if (runs?.kind !== 'dir') return places
  const names = await disk.readdir(course.runs).catch((error) => {
    throw ioError(error, course.runs, 'list')
  })
  for (const run of names.sort()) {
    if (!RUN_NAME.test(run) || run.includes('..')) continue
    const dir = join(course.runs, run)
    const kind = (
      await disk.lstat(dir).catch((error) => {
        throw ioError(error, dir, 'look at')
      })
    )?.kind
    if (kind === 'symlink') warnings.push(`${dir} is a symbolic link: not followed`)
    if (kind !== 'dir') continue
    places.push({what: `run ${run}`, paths: {...course, root: dir, lock: join(dir, 'lock')}})
    for (const s of await shardFolders(dir, warnings)) places.push({what: `run ${run}, shard ${shardText(s.shard)}`, paths: {...course, root: s.dir, lock: join(s.dir, 'lock')}})
  }
  return places
}
