import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../../../cli/base-command.js'
import {parseDuration} from '../../../cli/durations.js'
import {renderTokenCreate} from '../../../cli/render/serve-tokens.js'
import {runTokenCreate} from '../../../core/serve/run-tokens.js'
import {TOKEN_EXPIRY} from '../../../core/serve/tokens.js'

export default class ServeTokenCreate extends BaseCommand {
  static override summary = 'Make a bearer token for uploads to a course (optionally one run), printed once.'
  static override description = `The token (wkr_…) is printed on stdout this once; wicker keeps only its sha256, in .wicker/serve-tokens.json. It is good for this course and, with --run, for that run only, until it expires (--expires, ${TOKEN_EXPIRY.min.text} to ${TOKEN_EXPIRY.max.text}, default ${TOKEN_EXPIRY.default}) or is revoked. \`wicker serve\` (the upload server, coming next) checks it on every request.

Exit codes: 0 ok; 2 usage or bad input; 3 blocked (the tokens file is damaged, or its lock is held); 4 I/O.`

  static override examples = [
    {description: 'A token for a remote agent, good for 12 hours', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Only for one run, for two days, captured by a script', command: 'TOKEN=$(<%= config.bin %> <%= command.id %> spa_for_eng --run run-2026-12-01 --expires 2d --quiet)'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    run: Flags.string({description: 'Limit the token to this run (a run name, as prepare-segments makes).'}),
    expires: Flags.string({description: `How long the token is good for: 30m, 12h, 7d (${TOKEN_EXPIRY.min.text} to ${TOKEN_EXPIRY.max.text}).`, default: TOKEN_EXPIRY.default}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ServeTokenCreate)
    const ui = this.makeUi(flags)
    const expiresMs = parseDuration(flags.expires, 'expires', {min: TOKEN_EXPIRY.min, max: TOKEN_EXPIRY.max})
    const {result, warnings} = await runTokenCreate({...this.courseOptions(args.course, flags), run: flags.run, expiresMs})
    this.finish(ui, {result, warnings, exitCode: 0, render: renderTokenCreate})
  }
}
