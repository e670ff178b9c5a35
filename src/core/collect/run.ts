import {isAbsolute, join, relative, resolve} from 'node:path'

import {UsageError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {openCourse, type OpenCourseOptions} from '../open/open-course.js'
import {makeFolder} from '../store/make-folder.js'
import {readNamedText} from '../store/named-file.js'
import {STAGING_DIRS} from '../store/paths.js'
import {dirFiles} from './dir-source.js'
import {gitFiles, matchBranches, repoRoot, resolveRef} from './git-source.js'
import {patchFiles} from './patch-source.js'
import {stageCollected, stagedHashes} from './stage.js'
import type {SourceFiles, SourceRef} from './types.js'

/** Which repository and patch paths are agent output, unless --paths says: JSON under a staging folder's name, anywhere in the tree. */
export const DEFAULT_PATHS = STAGING_DIRS.map((d) => `**/${d}/**/*.json`)

export interface CollectOptions extends Omit<OpenCourseOptions, 'canon'> {
  /** staging folder to write into; default the course's phase5_baskets_staging/ */
  staging?: string
  /** the repository --git and --git-branches read; default the one holding the course */
  repo?: string
  git?: string[]
  gitBranches?: string[]
  paths?: string[]
  patch?: string[]
  from?: string[]
}

export type FileAction = 'written' | 'skipped' | 'ignored' | 'refused'

export interface CollectedSource extends SourceRef {
  found: number
  written: number
  skipped: number
  ignored: number
  refused: number
  files: Array<{path: string; action: FileAction; reason: string | null; stagedAs: string | null}>
}

export interface CollectResult {
  staging: string
  sources: CollectedSource[]
  totals: {found: number; written: number; skipped: number; ignored: number; refused: number}
}

async function gitSources(options: CollectOptions, courseDir: string, matches: (p: string) => boolean): Promise<SourceFiles[]> {
  const refs = [...(options.git ?? [])]
  if (refs.length === 0 && (options.gitBranches ?? []).length === 0) return []
  const repo = await repoRoot(options.repo ? resolve(options.cwd, options.repo) : courseDir, options.repo ? '--repo' : '--git')
  for (const glob of options.gitBranches ?? []) {
    const branches = await matchBranches(repo, glob)
    if (branches.length === 0) options.warnings?.push(`--git-branches ${glob}: no branch of ${repo} matches`)
    refs.push(...branches.filter((b) => !refs.includes(b)))
  }
  const sources: SourceFiles[] = []
  for (const ref of refs) sources.push(await gitFiles(repo, ref, await resolveRef(repo, ref), matches))
  return sources
}

/**
 * Brings agent output from git refs, patches and folders into one staging folder, reading the
 * sources only. Each file is written once: content already in staging (under any name, consumed
 * ones included) is skipped, so collecting twice writes nothing the second time.
 */
export async function runCollect(options: CollectOptions): Promise<{result: CollectResult; warnings: string[]}> {
  const given = [options.git, options.gitBranches, options.patch, options.from].some((list) => (list ?? []).length > 0)
  if (!given) throw new UsageError({code: 'E_COLLECT_NOTHING', message: 'Nothing to collect: no source was given.', hint: 'Pass --git REF, --git-branches GLOB, --patch FILE or --from DIR (each repeatable).'})
  const opened = await openCourse({...options, canon: false, staging: options.staging ? [options.staging] : undefined})
  const courseDir = opened.course.dir
  const staging = options.staging ? resolve(options.cwd, options.staging) : join(courseDir, STAGING_DIRS[0])
  const {default: picomatch} = await import('picomatch')
  const matches = picomatch(options.paths && options.paths.length > 0 ? options.paths : DEFAULT_PATHS)

  // every source is read (and every ref resolved) before anything is written: a bad one stops the run clean
  const sources = await gitSources({...options, warnings: opened.warnings}, courseDir, matches)
  for (const patch of options.patch ?? []) {
    const file = resolve(options.cwd, patch)
    const text = await readNamedText(file, {flag: '--patch', what: 'Patch'})
    if (!/^diff --git /m.test(text)) opened.warnings.push(`--patch ${patch}: no "diff --git" section in it, so it adds no file (is it git diff or git format-patch output?)`)
    sources.push(patchFiles(patch, text, matches))
  }
  for (const dir of options.from ?? []) sources.push(await dirFiles(resolve(options.cwd, dir)))

  await makeFolder(staging, {flag: '--staging'})
  const have = await stagedHashes(staging)
  const collectedAt = new Date().toISOString()
  const out: CollectedSource[] = []
  for (const source of sources) {
    const files: CollectedSource['files'] = []
    for (const file of source.found) {
      const sha256 = sha256Hex(file.bytes)
      const already = have.get(sha256)
      if (already !== undefined) {
        files.push({path: file.path, action: 'skipped', reason: `same content already in staging as ${already}`, stagedAs: null})
        continue
      }
      const origin = {kind: source.ref.kind, source: source.ref.source, commit: source.ref.commit, ...(source.repo ? {repo: source.repo} : {}), path: file.path}
      const name = await stageCollected(staging, file.path, file.bytes, sha256, {collectedBy: 'wicker collect', collectedAt, ...origin, sha256, size: file.bytes.length})
      have.set(sha256, name)
      files.push({path: file.path, action: 'written', reason: null, stagedAs: name})
    }
    for (const left of source.left) files.push({path: left.path, action: left.action, reason: left.reason, stagedAs: null})
    const count = (action: FileAction) => files.filter((f) => f.action === action).length
    out.push({...source.ref, found: source.found.length, written: count('written'), skipped: count('skipped'), ignored: count('ignored'), refused: count('refused'), files})
  }
  const sum = (key: 'found' | FileAction) => out.reduce((n, s) => n + s[key], 0)
  const shown = isAbsolute(staging) && !relative(courseDir, staging).startsWith('..') ? relative(courseDir, staging) || '.' : staging
  return {result: {staging: shown, sources: out, totals: {found: sum('found'), written: sum('written'), skipped: sum('skipped'), ignored: sum('ignored'), refused: sum('refused')}}, warnings: opened.warnings}
}
