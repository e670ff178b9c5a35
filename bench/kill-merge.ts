/**
 * SIGKILL a real `wicker merge --plan` at a random moment, then check that canon is byte-equal to
 * before or to the planned after, and that the next run recovers and finishes exactly the plan.
 * The tests run 50 trials; `npx tsx bench/kill-merge.ts [trials]` runs a longer loop.
 */
import {spawn, spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createHash} from 'node:crypto'

import {BIN} from './lib.js'

const sha = (b: Buffer | null) => (b ? createHash('sha256').update(b).digest('hex') : null)
const read = (f: string) => (existsSync(f) ? readFileSync(f) : null)

export interface KillOutcome {
  /** where canon was right after the kill */
  state: 'before' | 'after'
  /** the journal had a transaction that had begun and not ended */
  interrupted: boolean
  delayMs: number
}

interface Journal {
  type: string
  tx: string
  after?: string | null
}

function journal(dir: string): Journal[] {
  const file = join(dir, '.wicker', 'journal.ndjson')
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((l) => {
    try {
      return [JSON.parse(l) as Journal]
    } catch {
      return []
    }
  }) : []
}

/** One trial on a copy of `template` (a course folder with staging and a plan at plan.json). */
export async function killTrial(template: string, delayMs: number): Promise<KillOutcome> {
  const dir = join(mkdtempSync(join(tmpdir(), 'wicker-kill-')), template.split('/').pop()!)
  cpSync(template, dir, {recursive: true})
  try {
    const canon = join(dir, 'lego_baskets.json')
    const before = sha(read(canon))
    // merges the template had already committed (a course merged into before)
    const prior = new Set(journal(dir).filter((r) => r.type === 'commit').map((r) => r.tx))
    const child = spawn(process.execPath, [BIN, 'merge', dir, '--plan', join(dir, 'plan.json'), '--json'], {stdio: 'ignore'})
    // listen first: a merge that ends before the kill has already emitted 'exit'
    const exited = new Promise((r) => child.once('exit', r))
    await new Promise((r) => setTimeout(r, delayMs))
    child.kill('SIGKILL')
    await exited

    const records = journal(dir)
    const began = records.filter((r) => r.type === 'begin')
    const planned = began.at(-1)?.after ?? null
    const now = sha(read(canon))
    if (now !== before && now !== planned) throw new Error(`torn canon after a kill at ${delayMs} ms: ${now}`)
    const ended = new Set(records.filter((r) => r.type !== 'begin').map((r) => r.tx))
    const interrupted = began.some((b) => !ended.has(b.tx))

    const next = spawnSync(process.execPath, [BIN, 'merge', dir, '--plan', join(dir, 'plan.json'), '--json'], {encoding: 'utf8'})
    if (next.status !== 0) throw new Error(`the run after a kill at ${delayMs} ms failed (${next.status}): ${next.stdout}${next.stderr}`)
    const status = JSON.parse(next.stdout).result.status
    if (status !== 'merged' && status !== 'already-applied') throw new Error(`unexpected status ${status}`)
    const final = journal(dir)
    const committed = final.filter((r) => r.type === 'commit' && !prior.has(r.tx)).map((r) => r.tx)
    if (new Set(committed).size !== 1) throw new Error(`expected one committed merge, found ${committed.length}`)
    const tx = committed[0]!
    const after = final.find((r) => r.type === 'begin' && r.tx === tx)!.after
    if (sha(read(canon)) !== after) throw new Error('canon is not what the committed merge wrote')
    if (existsSync(join(dir, '.wicker', 'lock'))) throw new Error('the lock was left behind')
    if (readdirSync(dir).some((n) => n.endsWith('.tmp'))) throw new Error('a temp file was left behind')
    const left = readdirSync(join(dir, 'phase5_baskets_staging')).filter((n) => !n.startsWith('.'))
    if (left.length > 0) throw new Error(`staging files not consumed: ${left.join(', ')}`)
    return {state: now === before ? 'before' : 'after', interrupted, delayMs}
  } finally {
    rmSync(dir.replace(/\/[^/]+$/, ''), {recursive: true, force: true})
  }
}

/**
 * Merges the first `share` of the template's staging files first (with `wicker merge`), so that
 * canon is as wicker writes it and the next merge splices; the rest of staging is left for it.
 * Returns the names of the files left.
 */
export function mergedOnce(template: string, share = 1 / 3): string[] {
  const staging = join(template, 'phase5_baskets_staging')
  const first = join(template, 'first-round')
  mkdirSync(first)
  const names = readdirSync(staging).sort()
  const cut = Math.ceil(names.length * share)
  for (const name of names.slice(0, cut)) renameSync(join(staging, name), join(first, name))
  const r = spawnSync(process.execPath, [BIN, 'merge', template, '--yes', '--staging', first, '--json'], {encoding: 'utf8', maxBuffer: 1 << 28})
  if (r.status !== 0) throw new Error(`the first merge failed: ${r.stdout}${r.stderr}`)
  return names.slice(cut)
}

/** How long an uninterrupted merge of the template takes, in ms. */
export function mergeDuration(template: string): number {
  const dir = join(mkdtempSync(join(tmpdir(), 'wicker-kill-')), template.split('/').pop()!)
  cpSync(template, dir, {recursive: true})
  const start = Date.now()
  spawnSync(process.execPath, [BIN, 'merge', dir, '--plan', join(dir, 'plan.json'), '--json'])
  const ms = Date.now() - start
  rmSync(dir.replace(/\/[^/]+$/, ''), {recursive: true, force: true})
  return ms
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const {generateCourse} = await import('./synth/generate.js')
  const {writeCourse} = await import('./synth/write.js')
  const {missingBaskets, stagingFiles} = await import('./synth/staging.js')
  const {writeFileSync} = await import('node:fs')
  const trials = Number(process.argv[2] ?? 500)
  // half the trials on a first merge (canon serialised whole), half on a later one (spliced)
  for (const kind of ['serialised', 'spliced'] as const) {
    const synth = generateCourse({seeds: 300, seed: 3, canon: {fill: 0.5}})
    const dir = writeCourse(mkdtempSync(join(tmpdir(), 'wicker-kill-template-')), synth)
    mkdirSync(join(dir, 'phase5_baskets_staging'))
    for (const f of stagingFiles(missingBaskets(synth.course, new Set(Object.keys((synth.canon as {baskets: object}).baskets))))) writeFileSync(join(dir, 'phase5_baskets_staging', f.name), f.content)
    if (kind === 'spliced') mergedOnce(dir)
    spawnSync(process.execPath, [BIN, 'preview', dir, '--out', join(dir, 'plan.json')])
    const duration = mergeDuration(dir)
    const outcomes: KillOutcome[] = []
    for (let i = 0; i < trials / 2; i++) outcomes.push(await killTrial(dir, Math.random() * duration))
    const count = (p: (o: KillOutcome) => boolean) => outcomes.filter(p).length
    console.log(`${outcomes.length} kills of a ${duration} ms merge (canon ${kind}): canon before ${count((o) => o.state === 'before')}, after ${count((o) => o.state === 'after')}, interrupted transactions recovered ${count((o) => o.interrupted)}; no torn canon, every next run finished the plan.`)
  }
}
