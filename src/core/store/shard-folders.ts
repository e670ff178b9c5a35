import {lstat, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {errnoOf, ioError} from '../errors.js'
import {MAX_SHARDS, RUN_NAME, type ShardSpec} from '../schemas/run-plan.js'
import type {Disk} from './disk.js'
import {wickerPaths} from './paths.js'

/**
 * The shard folders of a run (.wicker/runs/<run>/shards/I-of-N/) that are real folders: a symbolic
 * link there (or at shards/ itself) is reported and never followed, so a planted link cannot make a
 * reader of ledgers and locks read outside the course. Names that are not I-of-N are not shards.
 */
export async function shardFolders(runDir: string, warnings: string[] = []): Promise<Array<{shard: ShardSpec; dir: string}>> {
  const root = join(runDir, 'shards')
  const kind = await lstat(root).then(
    (s) => (s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'link' : 'other'),
    (error: unknown) => {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return null
      throw ioError(error, root, 'look at')
    },
  )
  if (kind === 'link') warnings.push(`${root} is a symbolic link: not followed (wicker makes it as a real folder)`)
  if (kind !== 'dir') return []
  const found: Array<{shard: ShardSpec; dir: string}> = []
  for (const entry of (await readdir(root, {withFileTypes: true})).sort((a, b) => a.name.localeCompare(b.name))) {
    const match = /^(\d{1,6})-of-(\d{1,6})$/.exec(entry.name)
    if (!match) continue
    const shard = {index: Number(match[1]), count: Number(match[2])}
    if (shard.index < 1 || shard.index > shard.count || shard.count > MAX_SHARDS) continue
    const dir = join(root, entry.name)
    if (entry.isSymbolicLink()) warnings.push(`${dir} is a symbolic link: not followed`)
    else if (entry.isDirectory()) found.push({shard, dir})
  }
  return found
}

/** The folders of a run a launcher works in: the run's own (a launch of the whole run), then each real shard folder. */
export async function launcherFolders(runDir: string, warnings: string[] = []): Promise<Array<{shard: ShardSpec | null; dir: string}>> {
  return [{shard: null, dir: runDir}, ...(await shardFolders(runDir, warnings))]
}

/**
 * The prepared runs' folders (.wicker/runs/<run>/) that are real folders with a run's name, in name
 * order, each yielded as it is found (so what its reader warns of comes in the folders' order): a
 * symbolic link at runs/ or at a run is reported and never followed, so nothing a course folder
 * holds makes a reader of ledgers and locks read (or unlock move) anything outside it.
 */
export async function* runFolders(disk: Disk, courseDir: string, warnings: string[] = []): AsyncGenerator<{run: string; dir: string}> {
  const root = wickerPaths(courseDir).runs
  const here = await disk.lstat(root).catch((error) => {
    throw ioError(error, root, 'look at')
  })
  if (here?.kind === 'symlink') warnings.push(`${root} is a symbolic link: not followed (wicker makes it as a real folder)`)
  if (here?.kind !== 'dir') return
  const names = await disk.readdir(root).catch((error) => {
    throw ioError(error, root, 'list')
  })
  for (const run of names.sort()) {
    if (!RUN_NAME.test(run) || run.includes('..')) continue
    const dir = join(root, run)
    const kind = (
      await disk.lstat(dir).catch((error) => {
        throw ioError(error, dir, 'look at')
      })
    )?.kind
    if (kind === 'symlink') warnings.push(`${dir} is a symbolic link: not followed`)
    if (kind === 'dir') yield {run, dir}
  }
}
