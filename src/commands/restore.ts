import {Args, Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderRestore} from '../cli/render/merge.js'
import {runRestore} from '../core/merge/restore.js'

export default class Restore extends BaseCommand {
  static override summary = 'Undo the last (or a named) merge as a new, journaled transaction.'
  static override description = `Puts canon back to the exact bytes it had before the transaction, from its backup, after backing up the current canon. Refuses when canon changed since that transaction (later merges would be lost) unless --force. --restage moves the undone merge's staging files back out of .applied/.

Exit codes: 0 restored; 2 usage (no such transaction); 3 blocked (canon changed since, lock held); 4 I/O.`

  static override examples = [
    {description: 'Undo the last merge', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Undo a named merge and put its staging files back', command: '<%= config.bin %> <%= command.id %> spa_for_eng merge-20261121T101500Z-a1b2c3 --restage'},
  ]

  static override args = {course: courseArg, tx: Args.string({description: 'Transaction to undo (see `wicker status`) [default: the last].'})}
  static override flags = {
    staging: Flags.string({description: 'A staging folder outside the course that the undone merge read (repeatable): with --restage, its files go back there too.', multiple: true}),
    force: Flags.boolean({description: 'Restore even though canon changed since (the current canon is backed up first).'}),
    restage: Flags.boolean({description: 'Move the undone merge\'s staging files back into staging.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Restore)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runRestore({...this.courseOptions(args.course, flags), tx: args.tx, force: flags.force, restage: flags.restage, staging: flags.staging})
    this.finish(ui, {result, warnings, exitCode: 0, render: renderRestore})
  }
}
