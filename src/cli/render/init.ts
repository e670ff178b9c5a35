import type {InitResult} from '../../core/init/init.js'
import type {Ui} from '../ui.js'

export function renderInit(ui: Ui, r: InitResult): void {
  for (const change of r.changes) ui.out(`${ui.chalk.green(change.action.padEnd(8))} ${change.file}`)
  for (const file of r.unchanged) ui.out(`${ui.chalk.dim('unchanged')} ${file}`)
  if (r.changes.length === 0) ui.out('Nothing to do: wicker is already set up here.')
}
