import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {linkSync, mkdirSync, readFileSync, readlinkSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

/** A pid that names no process: a child that ran and was reaped. */
export function deadPid(): number {
  const child = spawnSync('true')
  return child.error ? spawnSync(process.execPath, ['-e', '']).pid : child.pid
}

/** No process has this pid (kill -0 finds none), without starting a `kill` process to ask. */
export function pidFree(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

export interface PlantedLock {
  lockId: string
  pid: number
  host: string
  command: string
  startedAt: string
  bootId?: string
  pidNamespace?: string
  startTicks?: number
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

/**
 * Who process `pid` is, read from /proc here in the test (independently of src/core/proc): the
 * fields a lock records. The start time is field 22 of /proc/<pid>/stat, counted after the last ')'.
 */
export function procIdentity(pid: number): {bootId: string; pidNamespace: string; startTicks: number} {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return {
    bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
    pidNamespace: readlinkSync('/proc/self/ns/pid'),
    startTicks: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]),
  }
}

/** A live process that is not wicker (it holds no lock): stop it with `.kill()`. */
export async function sleeper(command = process.execPath, args = ['-e', 'setInterval(() => {}, 1000)']): Promise<ChildProcess & {pid: number}> {
  const child = spawn(command, args, {stdio: 'ignore'})
  await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject))
  return child as ChildProcess & {pid: number}
}

/**
 * A real wicker holder: a node process that takes the lock of `courseDir` with the built code and
 * waits; with `releaseOnSignal`, SIGUSR1 makes it release the lock (and stay alive).
 */
export async function holdLock(courseDir: string, dist: string, options: {releaseOnSignal?: boolean} = {}): Promise<ChildProcess & {pid: number}> {
  const load = (file: string) => JSON.stringify(pathToFileURL(join(dist, file)).href)
  const release = options.releaseOnSignal ? `process.once('SIGUSR1', () => lock.release().then(() => console.log('released')));` : ''
  const script = `const {acquireLock} = await import(${load('core/store/lock.js')}); const {realDisk} = await import(${load('core/store/disk.js')}); const {wickerPaths} = await import(${load('core/store/paths.js')}); const lock = await acquireLock(realDisk, wickerPaths(process.argv[1]), 'wicker merge'); console.log('held'); ${release} setInterval(() => {}, 1000)`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, courseDir], {stdio: ['ignore', 'pipe', 'inherit']})
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('held') && resolve())
    child.once('exit', (code) => reject(new Error(`the holder exited (${code}) before it held the lock`)))
  })
  return child as ChildProcess & {pid: number}
}
