import {stat} from 'node:fs/promises'

import {UsageError} from '../errors.js'
import {gitOk, runGit} from '../proc/git.js'
import {decodeName} from '../staging/names.js'
import {hostilePath, type LeftFile, type SourceFiles} from './types.js'

/**
 * Files of branches, tags or commits of a git repository, read without touching it: refs resolved
 * with rev-parse, trees listed with `ls-tree -r -z`, blobs read with `cat-file --batch`. Nothing is
 * checked out, merged or fetched; the working tree, index and refs stay as they were.
 */
export async function repoRoot(dir: string, flag: string): Promise<string> {
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) {
    throw new UsageError({code: 'E_REPO_MISSING', message: `Repository folder ${dir} (given to ${flag}) does not exist or is not a folder.`, hint: `Check the path given to ${flag}.`, details: {file: dir, flag}})
  }
  const run = await runGit(dir, ['rev-parse', '--show-toplevel'])
  if (run.exitCode !== 0) {
    throw new UsageError({code: 'E_NOT_A_REPO', message: `${dir} is not inside a git repository, so ${flag} has nothing to read.`, hint: 'Pass --repo DIR naming the repository that holds the agent branches.', details: {file: dir}})
  }
  return Buffer.from(run.stdout).toString('utf8').trim()
}

/** The commit a ref names; a ref that names none is the user's mistake (exit 2), named. */
export async function resolveRef(repo: string, ref: string): Promise<string> {
  const run = ref.startsWith('-') ? null : await runGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
  if (run === null || run.exitCode !== 0) {
    throw new UsageError({code: 'E_GIT_REF', message: `The git ref "${ref}" (given to --git) names no commit in ${repo}.`, hint: 'Check the name with `git branch -a` or `git log`; a remote branch is origin/NAME, and wicker never fetches.', details: {ref, repo}})
  }
  return Buffer.from(run.stdout).toString('utf8').trim()
}

/** Local and remote-tracking branches whose short name matches the glob. */
export async function matchBranches(repo: string, glob: string): Promise<string[]> {
  const {default: picomatch} = await import('picomatch')
  const isMatch = picomatch(glob)
  const out = Buffer.from(await gitOk(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes'])).toString('utf8')
  return out.split('\n').filter((name) => name !== '' && isMatch(name)).sort()
}

interface TreeEntry {
  mode: string
  type: string
  object: string
  path: string
}

function parseTree(bytes: Uint8Array, left: LeftFile[]): TreeEntry[] {
  const entries: TreeEntry[] = []
  const buffer = Buffer.from(bytes)
  let start = 0
  while (start < buffer.length) {
    let end = buffer.indexOf(0, start)
    if (end < 0) end = buffer.length
    const record = buffer.subarray(start, end)
    start = end + 1
    const tab = record.indexOf(9)
    const [mode, type, object] = record.subarray(0, tab).toString('latin1').split(' ') as [string, string, string]
    const name = decodeName(record.subarray(tab + 1))
    if (!name.ok) left.push({path: name.text, action: 'refused', reason: 'the name is not valid UTF-8 (shown with \\x escapes): refused, as extract refuses it'})
    else entries.push({mode, type, object, path: name.text})
  }
  return entries
}

/** Reads blobs by object id with one `git cat-file --batch`. */
async function readBlobs(repo: string, objects: string[]): Promise<Map<string, Uint8Array>> {
  const blobs = new Map<string, Uint8Array>()
  if (objects.length === 0) return blobs
  const out = Buffer.from(await gitOk(repo, ['cat-file', '--batch'], `${objects.join('\n')}\n`))
  let at = 0
  for (const object of objects) {
    const newline = out.indexOf(10, at)
    const [id, , size] = out.subarray(at, newline).toString('latin1').split(' ')
    const length = Number(size)
    if (id !== object || !Number.isSafeInteger(length)) throw new Error(`git cat-file --batch answered "${out.subarray(at, newline).toString('latin1')}" for ${object}`)
    blobs.set(object, out.subarray(newline + 1, newline + 1 + length))
    at = newline + 1 + length + 1
  }
  return blobs
}

export async function gitFiles(repo: string, ref: string, commit: string, matches: (path: string) => boolean): Promise<SourceFiles> {
  const left: LeftFile[] = []
  const entries = parseTree(await gitOk(repo, ['ls-tree', '-r', '-z', '--full-tree', commit]), left).filter((e) => matches(e.path))
  const wanted: TreeEntry[] = []
  for (const entry of entries) {
    const hostile = hostilePath(entry.path)
    if (hostile) left.push({path: entry.path, action: 'refused', reason: hostile})
    else if (entry.mode === '120000') left.push({path: entry.path, action: 'refused', reason: 'a symbolic link: refused, it could point outside staging'})
    else if (entry.type !== 'blob') left.push({path: entry.path, action: 'ignored', reason: `a ${entry.type} (submodule), not a file`})
    else wanted.push(entry)
  }
  const blobs = await readBlobs(repo, [...new Set(wanted.map((e) => e.object))])
  return {ref: {kind: 'git', source: ref, commit}, repo, found: wanted.map((e) => ({path: e.path, bytes: blobs.get(e.object)!})), left}
}
