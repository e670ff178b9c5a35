import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderUnlock} from '../cli/render/unlock.js'
import {runUnlock} from '../core/status/status.js'

export default class Unlock extends BaseCommand {
  static override summary = 'Remove a course\'s lock, given its id. Only when no wicker process holds it.'
  static override description = `A lock is left behind only when a wicker process was killed. wicker clears such a lock by itself when the holder ran on this machine and is gone (through the lock's token, so that one process clears it however many try). It does not clear a lock from another host, one without a token (written by an older wicker or by hand), or one it cannot read: check that no wicker is running, then remove it with its id, shown by \`wicker status\` and in the "lock held" message. The lock is kept as .wicker/lock.stale-<id>.

Exit codes: 0 removed (or there was none); 2 usage (wrong id, or a lock wicker cannot read: delete it by hand); 3 blocked (its holder is alive, or another wicker process is clearing it right now); 4 I/O.`

  static override examples = [{description: 'Remove a lock left by a killed merge', command: '<%= config.bin %> <%= command.id %> spa_for_eng --force 6f1c2d3e-…'}]

  static override args = {course: courseArg}
  static override flags = {force: Flags.string({description: 'The id of the lock to remove.', required: true})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Unlock)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runUnlock({...this.courseOptions(args.course, flags), lockId: flags.force})
    this.finish(ui, {result, warnings, exitCode: 0, render: renderUnlock})
  }
}
