import {cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {generateCourse, type SynthOptions} from '../../bench/synth/generate.js'
import {missingBaskets, stagingFiles, type StagedBasket} from '../../bench/synth/staging.js'
import {writeCourse} from '../../bench/synth/write.js'
import type {FormatId} from '../../src/core/formats/containers.js'
import type {Disk, FileData} from '../../src/core/store/disk.js'
import {realDisk} from '../../src/core/store/disk.js'
import {tempDir} from './fs.js'

/** A generated course whose staging holds GATE-safe baskets for every LEGO canon lacks. */
export function flowCourse(options: SynthOptions & {formats?: FormatId[]; stagingFolder?: string} = {}) {
  const synth = generateCourse({seeds: 20, seed: 3, ...options, canon: {fill: 0.5, ...options.canon}})
  const dir = writeCourse(tempDir(), synth)
  const baskets = missingBaskets(synth.course, new Set(Object.keys((synth.canon as {baskets: object}).baskets)))
  const files = stagingFiles(baskets, options.formats ?? ['F1', 'F2', 'F4', 'F8', 'F12'])
  const folder = join(dir, options.stagingFolder ?? 'phase5_baskets_staging')
  mkdirSync(folder, {recursive: true})
  for (const f of files) writeFileSync(join(folder, f.name), f.content)
  return {...synth, dir, baskets, files}
}

/** A copy of a course folder, to run a destructive trial on. */
export function copyCourse(dir: string): string {
  const target = join(tempDir('wicker-trial-'), dir.split('/').pop()!)
  cpSync(dir, target, {recursive: true})
  return target
}

export const canonBytes = (dir: string): Buffer | null => {
  try {
    return readFileSync(join(dir, 'lego_baskets.json'))
  } catch {
    return null
  }
}

export type StagedSet = StagedBasket[]

/**
 * A Disk that fails its k-th operation with an errno code; `crash` makes every later operation
 * fail too, as if the process had died there (nothing after it runs, not even clean-up); `torn`
 * makes a failing write or append leave half its bytes behind first, as a kill in mid-write does;
 * `full` is a full disk from the k-th operation on: every write, append, link and mkdir fails with
 * ENOSPC (a write leaves the file it opened, empty), while reads, renames and unlinks still work.
 */
export class FaultyDisk implements Disk {
  ops = 0
  log: string[] = []
  constructor(
    private readonly failAt: number,
    private readonly code: string,
    private readonly crash: boolean,
    private readonly torn = false,
    private readonly full = false,
  ) {}

  private static readonly WRITES = new Set(['writeFile', 'append', 'link', 'mkdir'])

  private async tear(write: () => Promise<void>, name: string, path: string): Promise<void> {
    try {
      this.step(name, path)
    } catch (error) {
      if (this.torn && this.ops === this.failAt) await write()
      if (this.full && name === 'writeFile' && !realDisk.exists(path)) await realDisk.writeFile(path, '', {exclusive: true})
      throw error
    }
  }

  private step(name: string, path: string): void {
    this.ops++
    this.log.push(`${this.ops} ${name} ${path.split('/').slice(-2).join('/')}`)
    if (this.full) {
      if (this.ops >= this.failAt && FaultyDisk.WRITES.has(name)) throw Object.assign(new Error(`injected ENOSPC at ${name} (disk full)`), {code: 'ENOSPC'})
      return
    }
    if (this.ops === this.failAt || (this.crash && this.ops > this.failAt)) {
      throw Object.assign(new Error(`injected ${this.code} at ${name}`), {code: this.code})
    }
  }

  readFile = async (p: string) => (this.step('readFile', p), realDisk.readFile(p))
  sha256 = async (p: string) => (this.step('sha256', p), realDisk.sha256(p))
  writeFile = async (p: string, data: FileData, o: {exclusive: boolean}) => {
    const d = typeof data === 'string' || data instanceof Uint8Array ? data : [...data].join('')
    await this.tear(() => realDisk.writeFile(p, d.slice(0, Math.floor(d.length / 2)), o), 'writeFile', p)
    return realDisk.writeFile(p, d, o)
  }
  append = async (p: string, l: string) => {
    await this.tear(() => realDisk.append(p, l.slice(0, Math.floor(l.length / 2))), 'append', p)
    return realDisk.append(p, l)
  }
  rename = async (a: string, b: string) => (this.step('rename', a), realDisk.rename(a, b))
  link = async (a: string, b: string) => (this.step('link', a), realDisk.link(a, b))
  unlink = async (p: string) => (this.step('unlink', p), realDisk.unlink(p))
  mkdir = async (p: string) => (this.step('mkdir', p), realDisk.mkdir(p))
  syncDir = async (p: string) => (this.step('syncDir', p), realDisk.syncDir(p))
  exists = (p: string) => realDisk.exists(p)
  // metadata reads never fail here, like exists: the faults that matter are in writes and renames
  lstat = (p: string) => realDisk.lstat(p)
  stat = (p: string) => realDisk.stat(p)
  realpath = (p: string) => realDisk.realpath(p)
  readdir = async (p: string) => (this.step('readdir', p), realDisk.readdir(p))
}
