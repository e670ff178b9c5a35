import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderDetect} from '../cli/render/detect.js'
import {orientationFlag} from '../cli/shared-flags.js'
import {runDetect} from '../core/detect/run.js'

export default class Detect extends BaseCommand {
  static override summary = 'Find the new LEGOs that lack a basket, and what canon holds that it should not.'
  static override description = `Reads lego_pairs.json and the canon (lego_baskets.json). Every LEGO with new: true needs a basket with at least one usable phrase. Also lists empty baskets, overage (baskets for new: false LEGOs), orphans (ids not in lego_pairs) and strays (baskets at the canon's top level). Read-only.

Exit codes: 0 ok; 1 findings (something missing, with --fail-on-missing); 2 usage or bad input; 4 I/O.`

  static override examples = [
    {description: 'Where does the course stand?', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Write the missing LEGOs as a manifest for prepare-segments', command: '<%= config.bin %> <%= command.id %> spa_for_eng --out missing.json'},
    {description: 'Fail a CI job while anything is missing', command: '<%= config.bin %> <%= command.id %> ./courses/spa_for_eng --fail-on-missing --json'},
  ]

  static override args = {course: courseArg}

  static override flags = {
    out: Flags.string({char: 'o', description: 'Write the missing LEGOs as a manifest (JSON) to this file.'}),
    'fail-on-missing': Flags.boolean({description: 'Exit 1 when any new LEGO lacks a basket.'}),
    orientation: orientationFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Detect)
    const ui = this.makeUi(flags)
    const {result, warnings} = await ui.withProgress((onProgress) => runDetect({
      ...this.courseOptions(args.course, flags),
      out: flags.out,
      onProgress,
    }))
    this.finish(ui, {result, warnings, exitCode: flags['fail-on-missing'] && result.counts.missing > 0 ? 1 : 0, render: renderDetect})
  }
}
