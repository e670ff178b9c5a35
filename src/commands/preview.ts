import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderPreview} from '../cli/render/preview.js'
import {orientationFlag, policyFlags, policyOptions, stagingFlags, stagingSettings} from '../cli/shared-flags.js'
import {EXIT} from '../core/errors.js'
import {runPreview} from '../core/preview/run.js'
import {intFlag} from '../cli/int-flags.js'

export default class Preview extends BaseCommand {
  static override summary = 'Show what a merge would do: new, fill, identical, update, conflict, mismatch, overage, orphan, invalid… Read-only.'
  static override description = `Compares staging (re-extracted when it changed since \`wicker extract\`) with canon, basket by basket and representation-neutrally, and classes each: new, fill (the canon basket has no usable phrase: applied), identical, update (regenerated from the canon basket it replaces), conflict (differs, no base), staging-conflict, mismatch (written for another LEGO: its own lego text differs on both sides and its phrases practise that; merged only when resolved by id), overage (LEGO is new: false), orphan (not in lego_pairs), invalid, repaired, and stray (canon baskets at the top level; one identical to its staged basket is moved into "baskets"). Shows coverage before → after and a diff for each conflict. Changes no file; --out writes the plan for \`merge --plan\`.

Exit codes: 0 ok; with --detailed-exitcode: 0 nothing to do, 6 changes ready, 3 blocked; 2 usage or bad input (in every mode); 4 I/O.`

  static override examples = [
    {description: 'What would a merge do?', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Write a plan to review and apply later', command: '<%= config.bin %> <%= command.id %> spa_for_eng --out plan.json'},
    {description: 'In CI: 0 nothing to do, 6 changes ready, 3 blocked', command: '<%= config.bin %> <%= command.id %> spa_for_eng --detailed-exitcode --json'},
    {description: 'Also take the baskets written into lego_pairs.json where LEGOs belong (staging wins; lego_pairs.json is only read)', command: '<%= config.bin %> <%= command.id %> spa_for_eng --from-lego-pairs --out plan.json'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    out: Flags.string({char: 'o', description: 'Write the plan (JSON) to this file.'}),
    'max-diffs': intFlag('max-diffs', {description: 'Conflict diffs to show.', default: 10}),
    'detailed-exitcode': Flags.boolean({description: 'Exit 0 when there is nothing to do, 6 when changes are ready, 3 when something blocks.'}),
    ...policyFlags,
    ...stagingFlags,
    orientation: orientationFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Preview)
    const ui = this.makeUi(flags)
    const {result, warnings} = await ui.withProgress(async (onProgress) => runPreview({
      ...this.courseOptions(args.course, flags),
      onProgress,
      ...stagingSettings(flags),
      policy: await policyOptions(flags, process.cwd()),
      out: flags.out,
      maxDiffs: flags['max-diffs'],
    }))
    const exitCode = !flags['detailed-exitcode'] ? EXIT.ok : result.blocked > 0 ? EXIT.blocked : result.ops > 0 ? EXIT.changes : EXIT.ok
    this.finish(ui, {result, warnings, exitCode, render: (u, r) => renderPreview(u, r, args.course)})
  }
}
