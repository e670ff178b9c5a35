import {lstat, readFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

import {BlockedError, errnoOf, ioError, UsageError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {writeFileAtomic} from './atomic-write.js'
import {within} from './inside.js'
import {makeFolder} from './make-folder.js'
import {makeRealFolder} from './wicker-folder.js'

/**
 * A file wicker writes once for the user to own (a CI workflow, a Kubernetes manifest, a
 * Dockerfile): its first line says who wrote it and holds the sha256 of the rest. Written again,
 * wicker replaces it only while that hash still matches (nobody edited it), or with `force`; a
 * replaced file is first copied to `<file>.<UTC stamp>.bak` beside it, so an edit is never lost.
 * The file and the folder it goes in are never followed through a symbolic link.
 */
export type OwnedFileAction = 'created' | 'updated' | 'unchanged' | 'replaced'

export interface OwnedFileResult {
  file: string
  action: OwnedFileAction
  /** the copy of what was there before, when it was replaced; null otherwise */
  backup: string | null
}

const HEADER = /^# (.*) sha256:([0-9a-f]{64})\n/

/** `body` with its header line: `# <who> sha256:<hash of body>`. The header is a comment in YAML and in a Dockerfile. */
export function ownedText(who: string, body: string): string {
  return `# ${who} sha256:${sha256Hex(body)}\n${body}`
}

/** Whether `text` is an owned file nobody edited: its header's hash is the hash of the rest. */
export function unedited(text: string): boolean {
  const match = HEADER.exec(text)
  return match !== null && sha256Hex(text.slice(match[0].length)) === match[2]
}

function stamp(now: Date): string {
  return now.toISOString().replaceAll(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}

async function current(file: string): Promise<string | null> {
  let info
  try {
    info = await lstat(file)
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null
    throw ioError(error, file, 'look at')
  }
  if (!info.isFile()) throw new UsageError({code: 'E_OWNED_NOT_A_FILE', message: `${file} is ${info.isSymbolicLink() ? 'a symbolic link (never followed)' : 'not a regular file'}, so wicker will not write it.`, hint: 'Move it away, or choose another path with --out.', details: {file}})
  return readFile(file, 'utf8').catch((error: unknown) => {
    throw ioError(error, file, 'read')
  })
}

/** Copies `before` to `<file>.<stamp>.bak`, or `<file>.<stamp>-2.bak`… when one was kept the same second: a backup is never overwritten. */
async function keepBackup(file: string, before: string, at: string): Promise<string> {
  for (let n = 1; ; n++) {
    const backup = join(dirname(file), `${basename(file)}.${at}${n === 1 ? '' : `-${n}`}.bak`)
    try {
      await writeFileAtomic(backup, before, {replace: false})
      return backup
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST' || n >= 100) throw error
    }
  }
}

/**
 * `root`: a folder whose contents may come from elsewhere (the repository holding the course, the
 * folder the command runs in): every folder from it down to the file must be a real one, made if
 * missing, so a planted `.github -> /elsewhere` cannot send the write outside it (E_UNSAFE_PATH,
 * exit 2). A file outside `root` (an --out the user named elsewhere) gets its folders like mkdir -p.
 */
export async function writeOwnedFile(file: string, text: string, options: {force?: boolean; command: string; now?: Date; root?: string}): Promise<OwnedFileResult> {
  const dir = dirname(file)
  if (options.root !== undefined && within(resolve(options.root), resolve(dir))) await makeRealFolder(options.root, dir)
  else await makeFolder(dir, {parents: true})
  const parent = await lstat(dir)
  if (!parent.isDirectory()) throw new UsageError({code: 'E_OWNED_NOT_A_FILE', message: `${dir} is not a folder (a symbolic link is never followed), so wicker will not write ${basename(file)} there.`, hint: 'Choose another path with --out.', details: {file: dir}})
  const before = await current(file)
  if (before === null) {
    await writeFileAtomic(file, text, {replace: false})
    return {file, action: 'created', backup: null}
  }
  if (before === text) return {file, action: 'unchanged', backup: null}
  const edited = !unedited(before)
  if (edited && !options.force) {
    throw new BlockedError({
      code: 'E_OWNED_EDITED',
      message: `${file} was changed since wicker wrote it (or wicker did not write it), so it is yours now: it was left as it is.`,
      hint: `Run \`${options.command} --force\` to replace it (what is there now is kept as ${basename(file)}.<time>.bak beside it), or --out to write elsewhere.`,
      details: {file},
    })
  }
  const backup = await keepBackup(file, before, stamp(options.now ?? new Date()))
  await writeFileAtomic(file, text)
  return {file, action: edited ? 'replaced' : 'updated', backup}
}
