import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderRecover} from '../cli/render/recover.js'
import {runRecover} from '../core/merge/run-recover.js'

export default class Recover extends BaseCommand {
  static override summary = 'Finish or roll back an interrupted merge or restore, or give it up with --abandon.'
  static override description = `Every writing command does this by itself first; run it to see what state a course is in, or when a command stopped with E_RECOVERY (canon was changed outside wicker while a transaction was interrupted) or E_JOURNAL_RECORD (a journal line wicker did not write).

--abandon TX records that the interrupted transaction TX (or the refused journal line, line-N) is given up: it first copies the current canon, byte for byte and fsynced, into .wicker/backups/, then appends an "abandon" record. Canon and staging are left exactly as they are; staging files the transaction did not move stay in staging, for the next merge.

Exit codes: 0 done (or nothing to do); 2 usage (TX is not the interrupted transaction); 3 blocked (canon changed outside wicker, a journal line that does not check, lock held); 4 I/O.`

  static override examples = [
    {description: 'Finish whatever was interrupted, and say what state the course is in', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Give up a merge interrupted before canon was hand-edited', command: '<%= config.bin %> <%= command.id %> spa_for_eng --abandon merge-20261201T225145Z-a1b2c3'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    staging: Flags.string({description: 'A staging folder outside the course that the interrupted merge read (repeatable): its consumed files there are moved too.', multiple: true}),
    abandon: Flags.string({description: 'The interrupted transaction (or refused journal line, line-N) to give up, as the E_RECOVERY or E_JOURNAL_RECORD message names it.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Recover)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runRecover({...this.courseOptions(args.course, flags), abandon: flags.abandon, staging: flags.staging})
    this.finish(ui, {result, warnings, exitCode: 0, render: renderRecover})
  }
}
