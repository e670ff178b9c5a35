import type {Dirent} from 'node:fs'
import {lstat, readdir} from 'node:fs/promises'
import {join, relative} from 'node:path'

import {ioError} from '../errors.js'
import {sha256Hex} from '../extract/candidate.js'

/** Temp and partial files agents and editors leave while writing. */
const TEMP = /(\.(tmp|temp|partial|part|swp|swo|crdownload)$)|(~$)|(^\.#)|(^#.*#$)/i

export interface StagingEntry {
  /** absolute path */
  path: string
  /** path relative to the course folder (or absolute when outside it) */
  name: string
  /** the staging folder it was found under */
  dir: string
  size: number
  mtimeMs: number
}

export interface ScanResult {
  files: StagingEntry[]
  /** entries not read, with why */
  skipped: Array<{path: string; name: string; kind: 'temp-file' | 'symlink' | 'not-a-file'; message: string}>
}

/**
 * Every file under the staging folders, recursing; dot-folders (.applied, .quarantine) and
 * dot-files are wicker's or hidden, temp files are still being written, and symlinks are refused
 * (they could point anywhere).
 */
export async function scanStaging(dirs: string[], courseDir: string): Promise<ScanResult> {
  const result: ScanResult = {files: [], skipped: []}
  const show = (p: string) => (p.startsWith(courseDir) ? relative(courseDir, p) : p)
  for (const dir of dirs) {
    const stack = [dir]
    while (stack.length > 0) {
      const current = stack.pop()!
      let entries: Dirent[]
      try {
        entries = await readdir(current, {withFileTypes: true})
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && current === dir) break
        throw ioError(error, current, 'list the staging folder')
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      for (const entry of entries) {
        const path = join(current, entry.name)
        if (entry.name.startsWith('.')) continue
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
        if (TEMP.test(entry.name)) {
          result.skipped.push({path, name: show(path), kind: 'temp-file', message: 'a temp file, still being written'})
          continue
        }
        const stats = await lstat(path)
        result.files.push({path, name: show(path), dir, size: stats.size, mtimeMs: stats.mtimeMs})
      }
    }
  }
  result.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return result
}

/** What staging looks like right now: names, sizes and times of what a scan found. Equal fingerprints, same staging. */
export function stagingFingerprint(scan: ScanResult): string {
  return sha256Hex(JSON.stringify(scan.files.map((f) => [f.name, f.size, f.mtimeMs])) + JSON.stringify(scan.skipped.map((s) => s.name)))
}
