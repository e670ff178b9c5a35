import {existsSync} from 'node:fs'
import {cp} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {readCanon} from '../canon/read.js'
import {runDetect} from '../detect/run.js'
import {ioError} from '../errors.js'
import {runExtract} from '../extract/run.js'
import {makeFolder} from '../store/make-folder.js'
import {runLaunch} from '../launch/launch.js'
import {runMerge} from '../merge/run.js'
import {runPreview} from '../preview/run.js'
import {runPrepare} from '../segments/run.js'
import {runValidate} from '../validate/run.js'

/**
 * The whole chain on the bundled sample course with the built-in agent: detect → prepare-segments
 * → launch → extract → preview → merge → validate. A second run in the same folder changes nothing
 * and says so.
 */
export const SAMPLE = fileURLToPath(new URL('../../../sample/', import.meta.url))
export const SAMPLE_CODE = 'qtl_for_qkn'

export interface DemoStep {
  step: string
  summary: string
}

export interface DemoResult {
  dir: string
  course: string
  steps: DemoStep[]
  coverage: {before: number; after: number}
  passed: boolean
  /** false when the course was already complete and nothing was written */
  changed: boolean
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`

export async function runDemo(options: {dir: string; cwd: string; onStep?: (s: DemoStep) => void}): Promise<{result: DemoResult; warnings: string[]}> {
  const root = resolve(options.cwd, options.dir)
  const course = join(root, SAMPLE_CODE)
  const warnings: string[] = []
  const steps: DemoStep[] = []
  const say = (step: string, summary: string) => {
    const s = {step, summary}
    steps.push(s)
    options.onStep?.(s)
  }
  if (!existsSync(join(course, 'lego_pairs.json'))) {
    // level by level: a parent the file system refuses (under /proc) fails at once, never spins
    await makeFolder(root, {parents: true})
    try {
      await cp(join(SAMPLE, 'courses', SAMPLE_CODE), course, {recursive: true})
      await cp(join(SAMPLE, 'staging'), join(course, 'phase5_baskets_staging'), {recursive: true})
    } catch (error) {
      throw ioError(error, course, 'copy the sample course to')
    }
    say('copy', `sample course ${SAMPLE_CODE} (20 seeds, invented languages) and 4 dirty staging files copied to ${course}`)
  } else say('copy', `${course} is there already: running the chain on it again`)

  const at = {course, cwd: root}
  const before = (await readCanon(join(course, 'lego_baskets.json'))).sha256
  const detected = (await runDetect(at)).result
  say('detect', `${detected.counts.present} of ${detected.counts.needed} new LEGOs have a basket (${pct(detected.coverage)}); ${detected.counts.missing} missing`)

  const prepared = (await runPrepare({...at, packetSize: 10})).result
  say('prepare-segments', prepared.totals.packets === 0 ? 'nothing to prepare' : `run ${prepared.run}: ${prepared.totals.packets} packet(s), ${prepared.totals.seeds} seed(s), ${prepared.totals.legos} LEGO(s)`)

  if (prepared.totals.packets > 0) {
    const launched = (
      await runLaunch({...at, run: prepared.run, agent: 'builtin', concurrency: 4, staggerMs: 0, jitter: 0, timeoutMs: 120_000, idleTimeoutMs: 60_000, graceMs: 2000, retries: 2, backoffMs: 200, halt: 1, maxCostUsd: null, resume: false, retryFailed: false, only: null})
    ).result
    say('launch', `built-in agent: ${launched.packets.ok} ok, ${launched.packets.failed} failed, ${launched.packets.skipped} already done; ${launched.staged.length} output(s) staged`)
  } else say('launch', 'nothing to launch')

  const extracted = (await runExtract(at)).result
  say('extract', `${extracted.files.total} staging file(s): ${extracted.files.used} used, ${extracted.files.skipped} skipped, ${extracted.files.bad} bad; ${extracted.candidates} candidate basket(s)`)

  const previewed = (await runPreview(at)).result
  const shown = Object.entries(previewed.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`)
  say('preview', `${shown.join(', ') || 'nothing in staging'}; coverage ${pct(previewed.coverage.before)} → ${pct(previewed.coverage.after)}`)

  const merged = (await runMerge({...at, yes: true})).result
  say('merge', merged.status === 'merged' ? `${merged.tx}: ${merged.added.length} added; ${merged.canon.before.baskets} → ${merged.canon.after.baskets} baskets; ${merged.consumed.length} staging file(s) moved to .applied/` : 'nothing to merge')

  const validated = (await runValidate(at)).result
  const after = (await runDetect(at)).result
  say('validate', `${validated.passed ? 'PASSED' : 'FAILED'}: ${validated.counts.baskets} baskets, ${validated.counts.phrases} phrases, ${validated.counts.errors} error(s), ${validated.counts.warnings} warning(s), GATE ${validated.gate}; coverage ${pct(after.coverage)}`)

  const changed = (await readCanon(join(course, 'lego_baskets.json'))).sha256 !== before
  return {result: {dir: root, course, steps, coverage: {before: detected.coverage, after: after.coverage}, passed: validated.passed, changed}, warnings}
}
