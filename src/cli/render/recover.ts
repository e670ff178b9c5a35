import type {RecoverResult} from '../../core/merge/run-recover.js'
import type {Ui} from '../ui.js'

export function renderRecover(ui: Ui, r: RecoverResult): void {
  const canon = r.canon.sha256 ? r.canon.sha256.slice(0, 12) : 'no canon file'
  switch (r.outcome) {
    case 'none':
      ui.out(`Nothing to recover: no transaction is interrupted. Canon is ${canon}.`)
      return
    case 'finished':
    case 'rolled-back':
      for (const note of r.notes) ui.out(note.charAt(0).toUpperCase() + note.slice(1))
      ui.out(`Canon is ${canon}; the journal is complete.`)
      return
    case 'abandoned':
      ui.out(`${ui.chalk.green('Abandoned')} ${r.tx}: canon (${canon}) and staging were left as they are.`)
      ui.out(`The current canon is backed up at ${r.backup ?? '(there was no canon file)'}. The next merge plans from canon as it is.`)
  }
}
