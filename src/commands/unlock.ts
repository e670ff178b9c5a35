import {Args, Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderUnlock} from '../cli/render/unlock.js'
import {UsageError} from '../core/errors.js'
import {runUnlock} from '../core/status/status.js'

export default class Unlock extends BaseCommand {
  static override summary = 'Remove a lock of a course (its own, a run\'s or a shard\'s), given its id; a lock whose holder still runs only with --force.'
  static override description = `A lock is left behind only when a wicker process was killed. wicker clears such a lock by itself when the holder ran on this machine and is gone (through the lock's token, so that one process clears it however many try). It does not clear a lock from another host (a CI runner, a pod), one without a token (written by an older wicker or by hand), or one it cannot read: check that no wicker is running, then remove it with --lock-id and its id, shown in the "lock held" message (and, for the course's lock, by \`wicker status\`).

The lock with that id is looked for wherever a writer keeps one: the course's (.wicker/lock, merge and the other writing commands), each run's (.wicker/runs/<run>/lock, \`wicker launch\`) and each shard's (.wicker/runs/<run>/shards/<i>-of-<n>/lock, \`wicker launch --shard i/n\`). It is kept beside itself as lock.stale-<id>; the result names both files. An id that matches no lock, while there are locks, is refused (exit 2, E_LOCK_ID) with the ids there are and where.

When the holder's pid is still running on this machine, unlock refuses (exit 3, E_LOCK_LIVE); --force removes it anyway, with a warning naming that pid.

Exit codes: 0 removed (or there was no lock at all); 2 usage (an id no lock has, or a lock wicker cannot read: delete it by hand); 3 blocked (its holder is alive, or another wicker process is clearing it right now); 4 I/O.`

  static override examples = [
    {description: 'Remove a lock left by a killed merge, or by a launch killed on another host', command: '<%= config.bin %> <%= command.id %> spa_for_eng --lock-id 6f1c2d3e-…'},
    {description: 'Remove it even though its holder still runs', command: '<%= config.bin %> <%= command.id %> spa_for_eng --lock-id 6f1c2d3e-… --force'},
  ]

  // `stray`: so that the old `unlock COURSE --force ID` gets a message pointing at --lock-id
  static override args = {course: courseArg, stray: Args.string({hidden: true})}
  static override flags = {
    // checked in run(), so that the old `--force ID` form gets its own message first
    'lock-id': Flags.string({description: 'The id of the lock to remove (the "lock held" message names it; a wrong id lists the ones there are). Required.'}),
    force: Flags.boolean({description: 'Remove it even when its holder is still running on this host.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Unlock)
    const ui = this.makeUi(flags)
    if (args.stray !== undefined) {
      throw new UsageError({code: 'E_USAGE', message: `unexpected argument ${JSON.stringify(args.stray)}: --force takes no value any more.`, hint: `Give the lock id with --lock-id: wicker unlock ${args.course} --lock-id ${args.stray}${flags.force ? ' --force' : ''}`, details: {argument: args.stray}})
    }
    const lockId = flags['lock-id']
    if (lockId === undefined) throw new UsageError({code: 'E_USAGE', message: 'unlock needs --lock-id: the id of the lock to remove.', hint: `The "lock held" message names it (\`wicker status ${args.course}\` shows the course's); then run wicker unlock ${args.course} --lock-id ID.`})
    const {result, warnings} = await runUnlock({...this.courseOptions(args.course, flags), lockId, force: flags.force})
    this.finish(ui, {result, warnings, exitCode: 0, render: renderUnlock})
  }
}
