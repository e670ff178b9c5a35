import {mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'

const made: string[] = []

/** Removes the temporary folders made so far: after each test file (test/setup/temp-dirs.ts). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true})
}

/** A temporary folder, removed after the test file. */
export function tempDir(prefix = 'wicker-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** Builds a folder from a {path: content} map; objects are written as JSON. */
export function writeTree(root: string, tree: Record<string, unknown>): string {
  for (const [path, content] of Object.entries(tree)) {
    const file = join(root, path)
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(file, typeof content === 'string' || content instanceof Uint8Array ? content : `${JSON.stringify(content, null, 2)}\n`)
  }
  return root
}

/** Every file below a folder with its bytes, to prove a command changed nothing. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else out[relative(root, path)] = readFileSync(path).toString('base64')
    }
  }
  walk(root)
  return out
}

/** The files below a folder (absolute paths) whose text holds `needle`: to prove a secret was written nowhere. */
export function filesContaining(root: string, needle: string): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else if (e.isFile() && readFileSync(path, 'utf8').includes(needle)) found.push(path)
    }
  }
  walk(root)
  return found
}
