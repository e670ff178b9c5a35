import {BaseCommand, courseArg} from '../../../cli/base-command.js'
import {renderTokenList} from '../../../cli/render/serve-tokens.js'
import {runTokenList} from '../../../core/serve/run-tokens.js'

export default class ServeTokenList extends BaseCommand {
  static override summary = 'List a course\'s serve tokens: id, run, created, expires, state (never the tokens themselves).'
  static override description = `Read-only. A token's state is active, expired or revoked; wicker cannot show a token again (it keeps only its hash): make a new one with \`wicker serve token create\`.

Exit codes: 0 ok; 2 usage or bad input; 3 blocked (the tokens file is damaged); 4 I/O.`

  static override examples = [
    {description: 'Which tokens does the course have?', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'For a script', command: '<%= config.bin %> <%= command.id %> spa_for_eng --json'},
  ]

  static override args = {course: courseArg}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ServeTokenList)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runTokenList(this.courseOptions(args.course, flags))
    this.finish(ui, {result, warnings, exitCode: 0, render: renderTokenList})
  }
}
