import {Args} from '@oclif/core'

import {BaseCommand, courseArg} from '../../../cli/base-command.js'
import {renderTokenRevoke} from '../../../cli/render/serve-tokens.js'
import {runTokenRevoke} from '../../../core/serve/run-tokens.js'

export default class ServeTokenRevoke extends BaseCommand {
  static override summary = 'Revoke a serve token by its id: it stops working at once.'
  static override description = `The token stays in .wicker/serve-tokens.json, marked revoked, so \`token list\` still shows it. Revoking a token twice changes nothing, and says so (exit 0).

Exit codes: 0 ok (revoked, or already revoked); 2 usage or bad input (no token with that id: the message lists the ids there); 3 blocked (the tokens file is damaged, or its lock is held); 4 I/O.`

  static override examples = [
    {description: 'Revoke a leaked token', command: '<%= config.bin %> <%= command.id %> spa_for_eng tok_3f9a0c12b7e4'},
  ]

  static override args = {course: courseArg, id: Args.string({required: true, description: 'The token\'s id (tok_…), as `token list` shows it.'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ServeTokenRevoke)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runTokenRevoke({...this.courseOptions(args.course, flags), id: args.id})
    this.finish(ui, {result, warnings, exitCode: 0, render: renderTokenRevoke})
  }
}
