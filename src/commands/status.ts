import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {EXIT} from '../core/errors.js'
import {renderStatus} from '../cli/render/status.js'
import {stagingFlags, stagingSettings} from '../cli/shared-flags.js'
import {runStatus} from '../core/status/status.js'

export default class Status extends BaseCommand {
  static override summary = 'One screen of where a course stands: coverage, staging by class, last merges, locks, runs.'
  static override description = `Read-only.

--run R shows that run shard by shard (the plan's --shards, or the shard count its outputs carry): each shard's packets, LEGOs, packets done (a valid output in staging, by launch's rule), missing, and, where the shard's ledger is on this machine, attempts and failures. After the outputs of several machines were collected, --require-complete is the proof that nothing was lost: it lists every packet without a valid output with the shard that should have made it, and every packet done by two shards, and exits 1 when there is any.

Exit codes: 0 ok; 1 findings (with --require-complete: a packet of the run is not done, or was done by two shards); 2 usage or bad input; 4 I/O.`

  static override examples = [
    {description: 'Where does the course stand?', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'For a dashboard', command: '<%= config.bin %> <%= command.id %> spa_for_eng --json'},
    {description: 'After collecting every shard\'s outputs: is every packet of the run done, by one shard each?', command: '<%= config.bin %> <%= command.id %> spa_for_eng --run run-1a2b3c --require-complete'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    ...stagingFlags,
    run: Flags.string({description: 'Show this prepared run shard by shard.'}),
    'require-complete': Flags.boolean({description: 'With --run: exit 1 unless every packet of the run has a valid output in staging, each from one shard only.', dependsOn: ['run']}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Status)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runStatus({...this.courseOptions(args.course, flags), ...stagingSettings(flags), run: flags.run})
    const exitCode = flags['require-complete'] && result.run && !result.run.complete ? EXIT.findings : EXIT.ok
    this.finish(ui, {result, warnings, exitCode, render: renderStatus})
  }
}
