import type {MergeResult} from '../../core/merge/run.js'
import type {RestoreResult} from '../../core/merge/restore.js'
import type {Ui} from '../ui.js'
import {shellArg} from '../../core/text/shell-arg.js'

const short = (sha: string | null) => (sha ? sha.slice(0, 12) : 'none')

export function renderMerge(ui: Ui, r: MergeResult, course: string): void {
  const c = ui.chalk
  for (const note of r.recovered) ui.info(note)
  switch (r.status) {
    case 'already-applied':
      ui.out(`Plan ${r.planId.slice(0, 12)} was already applied in ${r.tx}; nothing changed.`)
      return
    case 'nothing-to-do':
      ui.out('Nothing to merge: canon already holds everything staging offers.')
      if (r.planned.consume > 0) ui.info(`${r.planned.consume} staging file(s) hold only baskets canon already has; they stay in staging.`)
      return
    case 'dry-run':
      ui.out(`Dry run: would add ${r.planned.add}, update ${r.planned.update}, adopt ${r.planned.adopt}, and move ${r.planned.consume} staging file(s) to .applied/. Nothing was written.`)
      return
    case 'declined':
      ui.out('Not merged.')
      return
    case 'merged':
      ui.out(`${c.green('Merged')} ${r.tx}: ${r.added.length} added, ${r.updated.length} updated, ${r.adopted.length} adopted; ${r.canon.before.baskets} → ${r.canon.after.baskets} baskets.`)
      ui.out(`Canon ${short(r.canon.before.sha256)} → ${short(r.canon.after.sha256)}; backup ${r.backup ?? '(there was no canon)'}; ${r.consumed.length} staging file(s) moved to .applied/${r.tx}/.`)
      if (r.written === 'serialised' && r.canon.before.sha256 !== null) ui.info('Canon was rewritten whole, in wicker\'s layout; the next merges write only the baskets they change.')
      ui.info(`Undo with: wicker restore ${shellArg(course)} ${r.tx}`)
  }
}

export function renderRestore(ui: Ui, r: RestoreResult): void {
  for (const note of r.recovered) ui.info(note)
  ui.out(`${ui.chalk.green('Restored')} canon to before ${r.restored} (as ${r.tx}): ${r.canon.before.baskets} → ${r.canon.after.baskets} baskets, ${short(r.canon.before.sha256)} → ${short(r.canon.after.sha256)}.`)
  ui.out(`The canon it replaced is backed up at ${r.backup ?? '(there was none)'}${r.restaged.length > 0 ? `; ${r.restaged.length} staging file(s) moved back` : ''}.`)
}
