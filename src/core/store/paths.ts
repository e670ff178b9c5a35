import {basename, join} from 'node:path'

import {shardSlug, type ShardSpec} from '../schemas/run-plan.js'

/** Everything wicker keeps about a course lives in <course>/.wicker/ (DESIGN.md §4). */
export function wickerPaths(courseDir: string) {
  const root = join(courseDir, '.wicker')
  return {
    root,
    state: join(root, 'state.json'),
    journal: join(root, 'journal.ndjson'),
    backups: join(root, 'backups'),
    plans: join(root, 'plans'),
    runs: join(root, 'runs'),
    lock: join(root, 'lock'),
    extract: join(root, 'extract.json'),
    /** `wicker report`'s page when no --out names another place */
    report: join(root, 'report.html'),
    /** which canon bytes wicker wrote, and their baskets without a usable phrase (a cache) */
    canonIndex: join(root, 'canon-index.json'),
    /** copies of staging files extract could not use, each with a reason (staging itself is never touched) */
    quarantine: join(root, 'quarantine'),
    /** serve's bearer tokens, each kept only as its sha256 (core/serve/tokens.ts) */
    serveTokens: join(root, 'serve-tokens.json'),
    /** held while serve-tokens.json is read and written again, so that two creates at once are both kept */
    serveTokensLock: join(root, 'serve-tokens.lock'),
    /** `wicker serve`'s Idempotency-Key records, one file per key, named by the key's sha256 */
    serveIdempotency: join(root, 'serve-idempotency'),
  }
}

export type WickerPaths = ReturnType<typeof wickerPaths>
export type RunPaths = ReturnType<typeof runPaths>

/**
 * The files of one run, .wicker/runs/<run>/: prepare-segments writes its plan, packets and prompts;
 * launch its ledger, its agents' logs, their work files (outputs before they go to staging) and the
 * run's lock.
 */
export function runPaths(dir: string) {
  return {
    dir,
    plan: join(dir, 'plan.json'),
    packets: join(dir, 'packets'),
    prompts: join(dir, 'prompts'),
    ledger: join(dir, 'ledger.ndjson'),
    /** `launch --upload`: the outputs delivered to wicker serve (schemas/uploads.ts) */
    uploads: join(dir, 'uploads.ndjson'),
    logs: join(dir, 'logs'),
    work: join(dir, 'work'),
    lock: join(dir, 'lock'),
    packet: (id: string) => join(dir, 'packets', `${id}.json`),
    /** a packet's prompt (by packet id) or an orchestrator's (orchestrator-s1-o1) */
    prompt: (name: string) => join(dir, 'prompts', `${name}.md`),
    /** an attempt's output as the agent writes it, before it is checked and staged */
    workFile: (packet: string, attempt: number) => join(dir, 'work', `${packet}__${attempt}.json`),
    /** an attempt's logs: <base>.stdout, <base>.stderr */
    logBase: (packet: string, attempt: number) => join(dir, 'logs', `${packet}__${attempt}`),
  }
}

/**
 * The files one launcher of a run writes: the run's own (runPaths) for an unsharded launch; for
 * `launch --shard I/N` (N > 1), its ledger, upload record, lock, work files and logs are in shards/I-of-N/, so
 * shards of a run can run at once on one course folder (a shared volume) without meeting, and
 * each shard's ledger is its own.
 */
export function launchPaths(runDir: string, shard: ShardSpec | null) {
  const run = runPaths(runDir)
  if (!shard || shard.count <= 1) return {...run, shardDir: null}
  const dir = join(runDir, 'shards', shardSlug(shard))
  const own = runPaths(dir)
  return {...run, shardDir: dir, ledger: own.ledger, uploads: own.uploads, logs: own.logs, work: own.work, lock: own.lock, workFile: own.workFile, logBase: own.logBase}
}

export type LaunchPaths = ReturnType<typeof launchPaths>

/** The lock of a launcher's folder (a run's, or a shard's: <dir>/lock), as the lock functions take it. */
export function folderLockPaths(courseDir: string, dir: string): WickerPaths {
  return {...wickerPaths(courseDir), root: dir, lock: runPaths(dir).lock}
}

/** Where an unusable staging file's copy and its reason go in .wicker/quarantine/: named by its hash, then its name. */
export function quarantinePaths(dir: string, file: {file: string; sha256: string}) {
  const copy = join(dir, `${file.sha256.slice(0, 12)}__${basename(file.file)}`)
  return {copy, reason: `${copy}.reason.json`}
}

export const STAGING_DIRS = ['phase5_baskets_staging', 'phase3_baskets_staging'] as const
