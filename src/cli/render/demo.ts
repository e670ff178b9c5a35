import type {DemoResult, DemoStep} from '../../core/demo/demo.js'
import {shownPath} from '../../core/report/run.js'
import {percentText} from '../../core/text/percent.js'
import type {Ui} from '../ui.js'

const pct = percentText

/** One step of the demo in words, as it is printed when the step is done. */
export function demoStepSummary(s: DemoStep): string {
  switch (s.step) {
    case 'copy':
      return s.copied ? `sample course ${s.sample} (20 seeds, invented languages) and 4 dirty staging files copied to ${s.course}` : `${s.course} is there already: running the chain on it again`
    case 'detect':
      return `${s.present} of ${s.needed} new LEGOs have a basket (${pct(s.coverage)}); ${s.missing} missing`
    case 'prepare-segments':
      return s.packets === 0 ? 'nothing to prepare' : `run ${s.run}: ${s.packets} packet(s), ${s.seeds} seed(s), ${s.legos} LEGO(s)`
    case 'launch':
      return s.launched ? `built-in agent: ${s.launched.ok} ok, ${s.launched.failed} failed, ${s.launched.skipped} already done; ${s.launched.staged} output(s) staged` : 'nothing to launch'
    case 'extract':
      return `${s.files.total} staging file(s): ${s.files.used} used, ${s.files.skipped} skipped, ${s.files.bad} bad; ${s.candidates} candidate basket(s)`
    case 'preview': {
      const shown = Object.entries(s.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`)
      return `${shown.join(', ') || 'nothing in staging'}; coverage ${pct(s.coverage.before)} → ${pct(s.coverage.after)}`
    }
    case 'merge':
      return s.merged ? `${s.merged.tx}: ${s.merged.added} added; ${s.merged.baskets.before} → ${s.merged.baskets.after} baskets; ${s.merged.consumed} staging file(s) moved to .applied/` : 'nothing to merge'
    case 'validate':
      return `${s.passed ? 'PASSED' : 'FAILED'}: ${s.baskets} baskets, ${s.phrases} phrases, ${s.errors} error(s), ${s.warnings} warning(s), GATE ${s.gate}; coverage ${pct(s.coverage)}`
    case 'report':
      return `one self-contained HTML page (${(s.bytes / 1024).toFixed(0)} KiB): heatmaps, checks, GATE, runs, history`
  }
}

/** A step's line, printed as it finishes (nothing in JSON mode). */
export function renderDemoStep(ui: Ui, s: DemoStep): void {
  if (!ui.policy.json) ui.out(`${ui.chalk.bold(s.step.padEnd(16))} ${demoStepSummary(s)}`)
}

export function renderDemo(ui: Ui, r: DemoResult): void {
  const c = ui.chalk
  ui.out()
  if (!r.changed) ui.out(`Nothing changed: ${r.course} was already complete (coverage ${pct(r.coverage.after)}), and validate ${r.passed ? 'passes' : 'fails'}.`)
  else ui.out(`${r.passed ? c.green('Done') : c.red('Done, but validate failed')}: coverage ${pct(r.coverage.before)} → ${pct(r.coverage.after)}. The course is in ${r.course}; run the demo again to see that nothing changes.`)
  ui.out(`The report: ${c.cyan(shownPath(process.cwd(), r.report))} (open it in a browser: file://${encodeURI(r.report)})`)
}
