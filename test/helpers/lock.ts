import {spawnSync} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {linkSync, mkdirSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

/** A pid that names no process: a child that ran and was reaped. */
export function deadPid(): number {
  const child = spawnSync('true')
  return child.error ? spawnSync(process.execPath, ['-e', '']).pid : child.pid
}

export interface PlantedLock {
  lockId: string
  pid: number
  host: string
  command: string
  startedAt: string
}

/**
 * A lock as wicker writes it, in `<root>` (a course's .wicker by default): the token file, and
 * `lock` linked to it; `token: false` writes `lock` alone, as an older wicker (or a person) did.
 */
export function plantLock(courseDir: string, options: Partial<PlantedLock> & {token?: boolean; root?: string} = {}): PlantedLock {
  const {token = true, root = join(courseDir, '.wicker'), ...fields} = options
  const info: PlantedLock = {lockId: randomUUID(), pid: process.pid, host: hostname(), command: 'wicker merge', startedAt: new Date().toISOString(), ...fields}
  mkdirSync(root, {recursive: true})
  const body = `${JSON.stringify(info)}\n`
  if (token) {
    writeFileSync(join(root, `lock.${info.lockId}`), body)
    linkSync(join(root, `lock.${info.lockId}`), join(root, 'lock'))
  } else {
    writeFileSync(join(root, 'lock'), body)
  }
  return info
}
