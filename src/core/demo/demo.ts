import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {readCanon} from '../canon/read.js'
import {runDetect} from '../detect/run.js'
import {ioError} from '../errors.js'
import {packageFile} from '../package-root.js'
import {runExtract} from '../extract/run.js'
import {makeFolder} from '../store/make-folder.js'
import {runLaunch} from '../launch/launch.js'
import {runMerge} from '../merge/run.js'
import {runPreview} from '../preview/run.js'
import {runPrepare} from '../segments/run.js'
import {copyFolder} from '../store/copy.js'
import {runReport} from '../report/run.js'
import type {OnProgress} from '../progress.js'

/**
 * The whole chain on the bundled sample course with the built-in agent: detect → prepare-segments
 * → launch → extract → preview → merge → validate, and the report page. A second run in the same folder changes nothing
 * and says so.
 */
export const SAMPLE = packageFile('sample/')
export const SAMPLE_CODE = 'qtl_for_qkn'

/** What each step did, as data (cli/render/demo.ts says it in words). */
export type DemoStep =
  | {step: 'copy'; course: string; sample: string; copied: boolean}
  | {step: 'detect'; present: number; needed: number; missing: number; coverage: number}
  | {step: 'prepare-segments'; run: string; packets: number; seeds: number; legos: number}
  | {step: 'launch'; launched: {ok: number; failed: number; skipped: number; staged: number} | null}
  | {step: 'extract'; files: {total: number; used: number; skipped: number; bad: number}; candidates: number}
  | {step: 'preview'; counts: Record<string, number>; coverage: {before: number; after: number}}
  | {step: 'merge'; merged: {tx: string | null; added: number; baskets: {before: number; after: number}; consumed: number} | null}
  | {step: 'validate'; passed: boolean; baskets: number; phrases: number; errors: number; warnings: number; gate: string; coverage: number}
  | {step: 'report'; file: string; bytes: number}

export interface DemoResult {
  dir: string
  course: string
  steps: DemoStep[]
  coverage: {before: number; after: number}
  passed: boolean
  /** false when the course was already complete and nothing was written */
  changed: boolean
  /** the report page (.wicker/report.html in the course) */
  report: string
}

export async function runDemo(options: {dir: string; cwd: string; onStep?: (s: DemoStep) => void; onProgress?: OnProgress}): Promise<{result: DemoResult; warnings: string[]}> {
  const root = resolve(options.cwd, options.dir)
  const course = join(root, SAMPLE_CODE)
  const warnings: string[] = []
  const steps: DemoStep[] = []
  const say = (s: DemoStep) => {
    steps.push(s)
    options.onStep?.(s)
  }
  const progress = options.onProgress ?? (() => undefined)
  if (!existsSync(join(course, 'lego_pairs.json'))) {
    progress('copy')
    // level by level: a parent the file system refuses (under /proc) fails at once, never spins
    await makeFolder(root, {parents: true})
    try {
      await copyFolder(join(SAMPLE, 'courses', SAMPLE_CODE), course)
      await copyFolder(join(SAMPLE, 'staging'), join(course, 'phase5_baskets_staging'))
    } catch (error) {
      throw ioError(error, course, 'copy the sample course to')
    }
    say({step: 'copy', course, sample: SAMPLE_CODE, copied: true})
  } else say({step: 'copy', course, sample: SAMPLE_CODE, copied: false})

  const at = {course, cwd: root}
  const before = (await readCanon(join(course, 'lego_baskets.json'))).sha256
  progress('detect')
  const detected = (await runDetect(at)).result
  say({step: 'detect', present: detected.counts.present, needed: detected.counts.needed, missing: detected.counts.missing, coverage: detected.coverage})

  progress('prepare-segments')
  const prepared = (await runPrepare({...at, packetSize: 10})).result
  say({step: 'prepare-segments', run: prepared.run, packets: prepared.totals.packets, seeds: prepared.totals.seeds, legos: prepared.totals.legos})

  if (prepared.totals.packets > 0) {
    let ok = 0
    progress('launch', 0, prepared.totals.packets)
    const launched = (
      await runLaunch({...at, onEvent: (e) => e.type === 'end' && e.class === 'ok' && progress('launch', ++ok, prepared.totals.packets), run: prepared.run, agent: 'builtin', concurrency: 4, staggerMs: 0, jitter: 0, timeoutMs: 120_000, idleTimeoutMs: 60_000, graceMs: 2000, retries: 2, backoffMs: 200, halt: 1, maxCostUsd: null, resume: false, retryFailed: false, only: null})
    ).result
    say({step: 'launch', launched: {ok: launched.packets.ok, failed: launched.packets.failed, skipped: launched.packets.skipped, staged: launched.staged.length}})
  } else say({step: 'launch', launched: null})

  progress('extract')
  const extracted = (await runExtract(at)).result
  say({step: 'extract', files: {total: extracted.files.total, used: extracted.files.used, skipped: extracted.files.skipped, bad: extracted.files.bad}, candidates: extracted.candidates})

  progress('preview')
  const previewed = (await runPreview(at)).result
  say({step: 'preview', counts: previewed.counts, coverage: previewed.coverage})

  progress('merge')
  const merged = (await runMerge({...at, yes: true})).result
  say({step: 'merge', merged: merged.status === 'merged' ? {tx: merged.tx, added: merged.added.length, baskets: {before: merged.canon.before.baskets, after: merged.canon.after.baskets}, consumed: merged.consumed.length} : null})

  progress('validate')
  // the report validates the course once, as validate does, and draws what it found
  const {result: report, validated} = await runReport(at)
  say({step: 'validate', passed: validated.passed, baskets: validated.counts.baskets, phrases: validated.counts.phrases, errors: validated.counts.errors, warnings: validated.counts.warnings, gate: validated.gate, coverage: report.coverage})
  say({step: 'report', file: report.file, bytes: report.bytes})

  const changed = (await readCanon(join(course, 'lego_baskets.json'))).sha256 !== before
  return {result: {dir: root, course, steps, coverage: {before: detected.coverage, after: report.coverage}, passed: validated.passed, changed, report: report.file}, warnings}
}
