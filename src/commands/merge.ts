import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {parseDuration} from '../cli/durations.js'
import {renderMerge} from '../cli/render/merge.js'
import {renderPreview} from '../cli/render/preview.js'
import {orientationFlag, policyFlags, policyOptions, stagingFlags, stagingSettings} from '../cli/shared-flags.js'
import {runMerge} from '../core/merge/run.js'
import type {Plan} from '../core/preview/plan.js'

export default class Merge extends BaseCommand {
  static override summary = 'Apply a plan to canon under a lock, atomically, with a backup and a journal entry.'
  static override description = `With --plan, applies exactly that plan, or refuses it as stale when canon, its lineage or any staging file changed since (exit 3, nothing written); a plan applied twice reports "already applied". Without --plan, computes the plan, shows it and asks on a terminal (elsewhere it needs --yes).

Applies new and update baskets only (and adopted strays with --adopt-strays); never deletes a canon basket. Writes lego text from lego_pairs and derived fields, appends the seed sentence to a final LEGO's basket that lacks it, and updates metadata. Protocol: lock → re-check → apply in memory and check invariants → journal → backup → temp file, fsync, rename, fsync the folder → read back and compare the hash → journal commit → consumed staging files moved to <staging>/.applied/<tx>/.

A lock another wicker process holds makes merge stop at once (exit 3, E_LOCK_HELD); with --lock-timeout it waits for that lock, looking again every 100 ms, and exits 3 only once the time is up, saying how long it waited.

Exit codes: 0 merged, nothing to do, or already applied; 2 usage (e.g. no terminal and no --yes, a --plan that does not exist); 3 blocked (conflicts, stale plan, lock held after --lock-timeout); 4 I/O.`

  static override examples = [
    {description: 'Review, then merge', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Apply a reviewed plan (CI)', command: '<%= config.bin %> <%= command.id %> spa_for_eng --plan plan.json --json'},
    {description: 'Wait up to 2 minutes for another merge to finish', command: '<%= config.bin %> <%= command.id %> spa_for_eng --plan plan.json --lock-timeout 2m'},
    {description: 'Merge without asking, keeping canon where staging conflicts', command: '<%= config.bin %> <%= command.id %> spa_for_eng --yes --on-conflict keep-canon'},
    {description: 'Merge the baskets written into lego_pairs.json too (lego_pairs.json is never moved or rewritten)', command: '<%= config.bin %> <%= command.id %> spa_for_eng --from-lego-pairs --yes'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    plan: Flags.string({description: 'Apply exactly this plan (from `wicker preview --out`).'}),
    yes: Flags.boolean({char: 'y', description: 'Merge without asking.'}),
    'dry-run': Flags.boolean({description: 'Show what would happen; write nothing.'}),
    'lock-timeout': Flags.string({description: 'How long to wait for a lock another wicker process holds, e.g. 30s or 5m (0: fail at once; up to 24h; Ctrl-C stops the wait).', default: '0'}),
    ...policyFlags,
    ...stagingFlags,
    orientation: orientationFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Merge)
    const ui = this.makeUi(flags)
    const canAsk = ui.policy.interactive && Boolean(process.stdin.isTTY)
    const {result, warnings} = await ui.withProgress(async (onProgress, progress) => runMerge({
      ...this.courseOptions(args.course, flags),
      onProgress,
      ...stagingSettings(flags),
      policy: await policyOptions(flags, process.cwd()),
      plan: flags.plan,
      lockTimeoutMs: parseDuration(flags['lock-timeout'], 'lock-timeout', {zero: true}),
      onLockWait: (message) => ui.info(message),
      yes: flags.yes,
      dryRun: flags['dry-run'],
      // the spinner goes before the plan and the question are shown
      confirm: canAsk ? (plan) => (progress.clear(), this.ask(plan)) : undefined,
    }))
    this.finish(ui, {result, warnings, exitCode: 0, render: (u, r) => renderMerge(u, r, args.course)})
  }

  private async ask(plan: Plan): Promise<boolean> {
    const ui = this.ui!
    renderPreview(ui, {course: plan.course, planId: plan.planId, counts: plan.counts, coverage: plan.coverage, ops: plan.ops.length, blocked: plan.blocked, items: plan.items, diffs: [], plan: null, reusedExtract: false}, plan.course)
    const {createInterface} = await import('node:readline/promises')
    const rl = createInterface({input: process.stdin, output: process.stderr})
    try {
      const answer = await rl.question(`Apply ${plan.ops.length} change(s) to canon? [y/N] `)
      return /^y(es)?$/i.test(answer.trim())
    } finally {
      rl.close()
    }
  }
}
