import type {Dirent} from 'node:fs'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {errnoOf, ioError} from '../errors.js'
import {decodeName} from '../staging/names.js'

export interface WalkEntry {
  /** the path below the folder, '/'-separated (escaped as \xNN where the name is not UTF-8) */
  path: string
  /** false: the name is not UTF-8, so it has no string path to read it by */
  ok: boolean
  /** the last segment */
  name: string
  entry: Dirent<Buffer>
}

/**
 * Every entry below `dir`, names read as bytes, symlinks never followed (readdir's file types are
 * lstat's). `visit` returns true to go down into a folder. A subfolder that goes while it is walked
 * was not there.
 */
export async function walkFolder(dir: string, visit: (entry: WalkEntry) => Promise<boolean> | boolean, what: string): Promise<void> {
  const stack = ['']
  while (stack.length > 0) {
    const rel = stack.pop()!
    let entries: Dirent<Buffer>[]
    try {
      entries = await readdir(join(dir, rel), {withFileTypes: true, encoding: 'buffer'})
    } catch (error) {
      if (rel !== '' && ['ENOENT', 'ENOTDIR'].includes(errnoOf(error) ?? '')) continue
      throw ioError(error, join(dir, rel), `list the ${what}`)
    }
    for (const entry of entries) {
      const name = decodeName(entry.name)
      const path = rel === '' ? name.text : `${rel}/${name.text}`
      if (await visit({path, ok: name.ok, name: name.text, entry})) stack.push(path)
    }
  }
}
