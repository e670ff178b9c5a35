import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderStatus} from '../cli/render/status.js'
import {stagingFlags, stagingSettings} from '../cli/shared-flags.js'
import {runStatus} from '../core/status/status.js'

export default class Status extends BaseCommand {
  static override summary = 'One screen of where a course stands: coverage, staging by class, last merges, locks, runs.'
  static override description = `Read-only.

Exit codes: 0 ok; 2 usage or bad input; 4 I/O.`

  static override examples = [
    {description: 'Where does the course stand?', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'For a dashboard', command: '<%= config.bin %> <%= command.id %> spa_for_eng --json'},
  ]

  static override args = {course: courseArg}
  static override flags = {...stagingFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Status)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runStatus({...this.courseOptions(args.course, flags), ...stagingSettings(flags)})
    this.finish(ui, {result, warnings, exitCode: 0, render: renderStatus})
  }
}
