import {lstatSync, readdirSync, type Dirent, type Stats} from 'node:fs'
import {join, relative} from 'node:path'

import {ioError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {within} from '../store/inside.js'
import {decodeName} from './names.js'

/** Temp and partial files agents and editors leave while writing. */
export const TEMP = /(\.(tmp|temp|partial|part|swp|swo|crdownload)$)|(~$)|(^\.#)|(^#.*#$)/i

/** Whether the scan passes over a file of this name as a temp file still being written. */
export const isTempName = (name: string): boolean => TEMP.test(name)

export interface StagingEntry {
  /** absolute path */
  path: string
  /** path relative to the course folder (or absolute when outside it) */
  name: string
  /** the staging folder it was found under */
  dir: string
  size: number
  mtimeMs: number
  /** inode: a file replaced by another of the same size and time is still told apart */
  ino: number
}

export type SkipKind = 'temp-file' | 'symlink' | 'not-a-file' | 'bad-name'

export interface ScanResult {
  files: StagingEntry[]
  /** entries not read, with why */
  skipped: Array<{path: string; name: string; kind: SkipKind; message: string}>
}

const gone = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')

/**
 * Every file under the staging folders, recursing; dot-folders (.applied, .quarantine) and
 * dot-files are wicker's or hidden, temp files are still being written, and symlinks are refused
 * (they could point anywhere) — a staging folder of the course that is itself a symlink too. Names
 * are read as bytes: one that is not UTF-8 cannot be named by a string path, so it is skipped and
 * reported, escaped. An entry that vanishes while it is listed (a merge moving files into
 * .applied/) was simply not there: the scan is a snapshot, and extract checks it still holds.
 */
export async function scanStaging(dirs: string[], courseDir: string): Promise<ScanResult> {
  // plain system calls: a listing and an lstat per file, one after the other, cost less made here
  // than as as many round trips to the thread pool (what changes meanwhile shows in the next scan)
  const result: ScanResult = {files: [], skipped: []}
  const show = (p: string) => (within(courseDir, p) ? relative(courseDir, p) : p)
  for (const dir of dirs) {
    if (within(courseDir, dir) && isSymlink(dir)) {
      result.skipped.push({path: dir, name: show(dir), kind: 'symlink', message: 'the staging folder is a symbolic link: refused, it could lead outside the course'})
      continue
    }
    const stack = [dir]
    while (stack.length > 0) {
      const current = stack.pop()!
      let entries: Dirent<Buffer>[]
      try {
        entries = readdirSync(current, {withFileTypes: true, encoding: 'buffer'})
      } catch (error) {
        // a staging folder that is a file is the user's to fix; a subfolder that went was moved by a merge
        const notAFolder = current === dir && (error as NodeJS.ErrnoException).code === 'ENOTDIR'
        if (gone(error) && !notAFolder) continue
        throw ioError(error, current, 'list the staging folder')
      }
      const named = entries.map((entry) => ({entry, name: decodeName(entry.name)}))
      named.sort((a, b) => (a.name.text < b.name.text ? -1 : a.name.text > b.name.text ? 1 : 0))
      for (const {entry, name} of named) {
        if (name.text.startsWith('.')) continue
        if (!name.ok) {
          const shown = join(show(current), name.text)
          result.skipped.push({path: shown, name: shown, kind: 'bad-name', message: `the name is not valid UTF-8 (shown with \\x escapes): skipped and left as it is; rename it to read it`})
          continue
        }
        const path = join(current, name.text)
        if (entry.isSymbolicLink()) {
          result.skipped.push({path, name: show(path), kind: 'symlink', message: 'a symbolic link: refused, it could point outside staging'})
          continue
        }
        if (entry.isDirectory()) {
          stack.push(path)
          continue
        }
        if (!entry.isFile()) {
          result.skipped.push({path, name: show(path), kind: 'not-a-file', message: 'not a regular file'})
          continue
        }
        if (isTempName(name.text)) {
          result.skipped.push({path, name: show(path), kind: 'temp-file', message: 'a temp file, still being written'})
          continue
        }
        let stats: Stats
        try {
          stats = lstatSync(path)
        } catch (error) {
          if (gone(error)) continue
          throw ioError(error, path, 'look at the staging file')
        }
        if (!stats.isFile()) continue // replaced since it was listed; the next scan sees what it is now
        result.files.push({path, name: show(path), dir, size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino})
      }
    }
  }
  result.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return result
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch (error) {
    if (gone(error)) return false
    throw ioError(error, path, 'look at the staging folder')
  }
}

/** What staging looks like right now: names, sizes, times and inodes of what a scan found. Equal fingerprints, same staging. */
export function stagingFingerprint(scan: ScanResult): string {
  return sha256Hex(JSON.stringify(scan.files.map((f) => [f.name, f.size, f.mtimeMs, f.ino])) + JSON.stringify(scan.skipped.map((s) => s.name)))
}

/**
 * Whether two scans show the same staging: the same files (by name and inode, and by size and time
 * unless they are `writing`, files an agent is still writing in place) and the same skipped names.
 */
export function sameStaging(a: ScanResult, b: ScanResult, writing: ReadonlySet<string> = new Set()): boolean {
  if (a.files.length !== b.files.length || a.skipped.length !== b.skipped.length) return false
  const same = (x: StagingEntry, y: StagingEntry) => x.name === y.name && x.ino === y.ino && (writing.has(x.name) || (x.size === y.size && x.mtimeMs === y.mtimeMs))
  return a.files.every((f, i) => same(f, b.files[i]!)) && a.skipped.every((s, i) => s.name === b.skipped[i]!.name)
}
