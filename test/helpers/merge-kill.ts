/**
 * SIGKILL a real `wicker merge --plan` at a chosen moment, find from the journal on disk where the
 * kill landed, let `wicker recover` repair it, and check the course is in exactly one of the two
 * states a transaction may leave: canon as before with every staging file in place, or canon as
 * planned with the plan's staging files moved to .applied/<tx>/, journal done. Rolled back, the next
 * merge must then apply the plan.
 *
 * The merge runs with WICKER_TEST_STEP_DELAY_MS (src/core/transaction/step-delay.ts), so its transaction
 * lasts long enough for kills to land inside it; without the knob it takes a few milliseconds.
 */
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {wickerIn} from './cli-in.js'
import {BIN, wicker} from './cli.js'
import {copyCourse} from './flow.js'

/** Where a kill landed, read from the journal and canon right after it. */
export type Landed =
  /** no begin record: killed while reading and planning */
  | 'before-begin'
  /** begin written, canon not yet replaced: recovery rolls back */
  | 'begun'
  /** canon replaced, no commit record yet: recovery rolls forward */
  | 'replaced'
  /** committed, staging moves not all done: recovery finishes the moves */
  | 'committed'
  /** the transaction was done when the kill came */
  | 'done'

/** begin without commit: the kill landed in the middle of the transaction */
export const MID_TRANSACTION: ReadonlySet<Landed> = new Set(['begun', 'replaced'])

export interface KillOutcome {
  landed: Landed
  /** canon right after the kill */
  state: 'before' | 'after'
  /** the merge died of the kill (false: it had already exited by itself) */
  killed: boolean
  /** what `wicker recover` then said it did */
  recovery: 'none' | 'rolled-back' | 'finished'
  /** the kill's aim, for messages */
  aim: KillAim
}

/**
 * When to kill: `ms` after the spawn, or after the merge is seen reaching a step: its begin record
 * on disk, its backup of canon in .wicker/backups, its temp file next to canon, canon renamed (a
 * new inode at canon's path), its commit record on disk. Seeing the step in the course itself
 * keeps the aim true when fsyncs on a loaded machine take their time.
 */
export type KillAim = {from: 'spawn' | 'begin' | 'backup' | 'temp' | 'rename' | 'commit'; ms: number}

interface Record_ {
  at?: string
  type: string
  tx: string
  before?: string | null
  after?: string | null
  moves?: Array<[string, string, string]>
  counts?: {added: number; updated: number; adopted: number}
}

const sha = (b: Buffer | null) => (b ? createHash('sha256').update(b).digest('hex') : null)
const read = (f: string) => (existsSync(f) ? readFileSync(f) : null)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The environment wicker runs in, as the cli helper gives it, with the test's step delay or none. */
function envWith(stepDelayMs: number | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1'}
  for (const key of ['FORCE_COLOR', 'WICKER_JSON', 'WICKER_COURSES_DIR', 'WICKER_CONFIG', 'WICKER_TEST_STEP_DELAY_MS']) delete env[key]
  if (stepDelayMs !== null) env.WICKER_TEST_STEP_DELAY_MS = String(stepDelayMs)
  return env
}

/**
 * recover and the merge after it: in this process (test/helpers/cli-in.ts), as nothing is killed
 * there; only the merge that is killed needs a process of its own. Two trials run side by side and
 * wickerIn never blocks the other's clock for its kill.
 */
async function run(args: string[]): Promise<{code: number | null; stdout: string; json: any}> {
  const r = await wickerIn(args)
  return {code: r.code, stdout: r.stdout + r.stderr, json: r.json}
}

function journal(dir: string): Record_[] {
  const text = read(join(dir, '.wicker', 'journal.ndjson'))?.toString('utf8') ?? ''
  return text.split('\n').filter(Boolean).flatMap((l) => {
    try {
      return [JSON.parse(l) as Record_]
    } catch {
      // a line half-written by the kill is what recovery must cope with; it is not a record
      return []
    }
  })
}

/** Every staging file (not under .applied) with its hash. */
function stagingFiles(staging: string): Map<string, string> {
  return new Map(
    readdirSync(staging)
      .filter((n) => !n.startsWith('.'))
      .map((n) => [n, sha(readFileSync(join(staging, n)))!]),
  )
}

function fail(what: string, aim: KillAim, landed?: Landed): never {
  throw new Error(`${what} (kill ${aim.ms.toFixed(0)} ms after ${aim.from}${landed ? `, landed ${landed}` : ''})`)
}

function classify(dir: string, tx: string | null, canonNow: string | null, aim: KillAim): {landed: Landed; begin: Record_ | null} {
  if (tx === null) return {landed: 'before-begin', begin: null}
  const records = journal(dir).filter((r) => r.tx === tx)
  const begin = records.find((r) => r.type === 'begin')!
  const has = (type: string) => records.some((r) => r.type === type)
  if (has('abort')) fail(`the killed merge aborted its transaction (${JSON.stringify(records.at(-1))})`, aim)
  if (has('done')) return {landed: 'done', begin}
  if (has('commit')) return {landed: 'committed', begin}
  if (canonNow === begin.after) return {landed: 'replaced', begin}
  if (canonNow === begin.before) return {landed: 'begun', begin}
  return fail(`torn canon: ${canonNow} is neither ${begin.before} nor ${begin.after}`, aim)
}

/**
 * One trial on a copy of `template` (a course folder with staging and a plan at plan.json).
 * `stepDelayMs` is given to the merge that is killed only; recovery and the next merge run at
 * full speed.
 */
export async function killTrial(template: string, aim: KillAim, stepDelayMs: number): Promise<KillOutcome> {
  const dir = copyCourse(template)
  try {
    const canonFile = join(dir, 'lego_baskets.json')
    const staging = join(dir, 'phase5_baskets_staging')
    const canonBefore = read(canonFile)
    const before = sha(canonBefore)
    const staged = stagingFiles(staging)
    const prior = new Set(journal(dir).map((r) => r.tx))
    const newBegin = () => journal(dir).find((r) => r.type === 'begin' && !prior.has(r.tx)) ?? null
    const canonInode = statSync(canonFile).ino
    const tx = () => newBegin()?.tx ?? null
    const backups = join(dir, '.wicker', 'backups')
    const reached = {
      spawn: () => true,
      begin: () => tx() !== null,
      backup: () => tx() !== null && existsSync(backups) && readdirSync(backups).some((n) => n.includes(tx()!)),
      temp: () => tx() !== null && existsSync(`${canonFile}.${tx()}.tmp`),
      rename: () => existsSync(canonFile) && statSync(canonFile).ino !== canonInode,
      commit: () => journal(dir).some((r) => r.type === 'commit' && !prior.has(r.tx)),
    }[aim.from]

    const child = spawn(process.execPath, [BIN, 'merge', dir, '--plan', join(dir, 'plan.json'), '--json'], {stdio: 'ignore', env: envWith(stepDelayMs)})
    // listen first: a merge that ends before the kill has already emitted 'exit'
    let ended = false
    const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((r) => child.once('exit', (code, signal) => ((ended = true), r({code, signal}))))
    // A merge that ended before the step was seen is classified as it ended (done, or a failure)
    while (!ended && !reached()) await sleep(2)
    if (!ended) await sleep(aim.ms)
    child.kill('SIGKILL')
    const exit = await exited
    const killed = exit.signal === 'SIGKILL'
    if (!killed && exit.code !== 0) fail(`the merge failed by itself (exit ${exit.code})`, aim)

    // where it landed, from the disk alone
    const canonNow = sha(read(canonFile))
    const {landed, begin} = classify(dir, newBegin()?.tx ?? null, canonNow, aim)
    if (!killed && landed !== 'done') fail('the merge exited 0 without finishing its transaction', aim, landed)

    // recovery, and the state it leaves: one of the two, whole
    const r = await run(['recover', dir, '--json'])
    if (r.code !== 0) fail(`wicker recover exited ${r.code}: ${r.stdout}`, aim, landed)
    const recovery = r.json.result.outcome as KillOutcome['recovery']
    const expected = {'before-begin': 'none', begun: 'rolled-back', replaced: 'finished', committed: 'finished', done: 'none'}[landed]
    if (recovery !== expected) fail(`recovery ${recovery}, expected ${expected}`, aim, landed)
    const rolledForward = landed !== 'before-begin' && landed !== 'begun'
    checkWhole(dir, {before, canonBefore, staged, begin, rolledForward}, aim, landed)

    // Rolled back (or never begun): the next merge finishes the plan, once. (Rolled forward, the
    // plan is applied and done, as checkWhole saw; a merge would only say so, for a second of CPU.)
    if (!rolledForward) {
      const next = await run(['merge', dir, '--plan', join(dir, 'plan.json'), '--json'])
      if (next.code !== 0 || next.json?.result?.status !== 'merged') fail(`the merge after recovery did not merge (${next.code}): ${next.stdout}`, aim, landed)
    }
    const committed = [...new Set(journal(dir).filter((x) => x.type === 'commit' && !prior.has(x.tx)).map((x) => x.tx))]
    if (committed.length !== 1) fail(`expected one committed merge, found ${committed.length}`, aim, landed)
    const done = journal(dir).find((x) => x.type === 'begin' && x.tx === committed[0])!
    checkWhole(dir, {before, canonBefore, staged, begin: done, rolledForward: true}, aim, landed)
    if (stagingFiles(staging).size > 0) fail(`staging files not consumed: ${[...stagingFiles(staging).keys()].join(', ')}`, aim, landed)

    return {landed, state: canonNow === before ? 'before' : 'after', killed, recovery, aim}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

interface Whole {
  before: string | null
  canonBefore: Buffer | null
  staged: Map<string, string>
  /** the transaction's begin record (null: none was written) */
  begin: Record_ | null
  /** expected state: as planned (true) or as before (false) */
  rolledForward: boolean
}

/**
 * Canon is exactly before or exactly as planned, never torn; no lock or temp file is left; every
 * staged file is in staging or in .applied/<tx>/ with its bytes, and which one agrees with canon.
 */
function checkWhole(dir: string, w: Whole, aim: KillAim, landed: Landed): void {
  const canonFile = join(dir, 'lego_baskets.json')
  const staging = join(dir, 'phase5_baskets_staging')
  const now = read(canonFile)
  const canon = JSON.parse(now!.toString('utf8')) as {baskets: Record<string, unknown>}
  const old = Object.keys((JSON.parse(w.canonBefore!.toString('utf8')) as {baskets: object}).baskets)
  const lost = old.filter((id) => !Object.hasOwn(canon.baskets, id))
  if (lost.length > 0) fail(`canon lost baskets ${lost.slice(0, 5).join(', ')}`, aim, landed)
  if (existsSync(join(dir, '.wicker', 'lock'))) fail('the lock was left behind', aim, landed)
  if (readdirSync(dir).some((n) => n.endsWith('.tmp'))) fail('a temp file was left behind', aim, landed)
  const state = JSON.parse(read(join(dir, '.wicker', 'state.json'))?.toString('utf8') ?? 'null') as {canonSha256: string | null; lastTx: string | null} | null
  const inStaging = stagingFiles(staging)
  const tx = w.begin?.tx ?? null
  const applied = tx ? join(staging, '.applied', tx) : null

  if (!w.rolledForward) {
    if (sha(now) !== w.before) fail('canon is not as before, though the transaction was rolled back', aim, landed)
    for (const [name, hash] of w.staged) if (inStaging.get(name) !== hash) fail(`staging file ${name} is not in staging as it was`, aim, landed)
    if (applied && existsSync(applied) && readdirSync(applied).length > 0) fail(`files were moved to ${applied} by a transaction that was rolled back`, aim, landed)
    if (tx && state?.lastTx === tx) fail('state.json names a transaction that was rolled back', aim, landed)
    return
  }
  const begin = w.begin!
  if (!journal(dir).some((r) => r.type === 'done' && r.tx === tx)) fail(`the journal does not record ${tx} as done`, aim, landed)
  if (sha(now) !== begin.after) fail('canon is not what the committed merge wrote', aim, landed)
  if (state?.lastTx !== tx || state?.canonSha256 !== begin.after) fail(`state.json is ${JSON.stringify(state)}, not the committed merge`, aim, landed)
  const added = begin.counts!.added + begin.counts!.adopted
  if (Object.keys(canon.baskets).length !== old.length + added) fail(`canon holds ${Object.keys(canon.baskets).length} baskets, not ${old.length} + ${added}`, aim, landed)
  const moved = new Set(begin.moves!.map(([from]) => from.split('/').pop()!))
  for (const [name, hash] of w.staged) {
    const there = read(join(applied!, name))
    if (moved.has(name)) {
      if (inStaging.has(name)) fail(`staging file ${name} was consumed but is still in staging`, aim, landed)
      if (sha(there) !== hash) fail(`staging file ${name} is not in ${applied} as it was`, aim, landed)
    } else if (inStaging.get(name) !== hash) fail(`staging file ${name}, not consumed, is not in staging as it was`, aim, landed)
  }
}

/** An uninterrupted merge of the template at this step delay: how long it takes, and how long until its begin record. */
export function timeMerge(template: string, stepDelayMs: number): {totalMs: number; beginMs: number} {
  const dir = copyCourse(template)
  try {
    const prior = new Set(journal(dir).map((r) => r.tx))
    const start = Date.now()
    const r = wicker(['merge', dir, '--plan', join(dir, 'plan.json'), '--json'], {env: {WICKER_TEST_STEP_DELAY_MS: String(stepDelayMs)}})
    const totalMs = Date.now() - start
    if (r.code !== 0) throw new Error(`the timing merge failed (${r.code}): ${r.stdout}${r.stderr}`)
    const begin = journal(dir).find((x) => x.type === 'begin' && !prior.has(x.tx))!
    return {totalMs, beginMs: Date.parse(begin.at!) - start}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
