import type {runUnlock} from '../../core/status/status.js'
import type {Ui} from '../ui.js'

type UnlockResult = Awaited<ReturnType<typeof runUnlock>>['result']

export function renderUnlock(ui: Ui, r: UnlockResult): void {
  if (!r.removed) ui.out('There was no lock.')
  else ui.out(`Removed the lock of ${r.removed.command} (pid ${r.removed.pid} on ${r.removed.host})${r.lock ? `: ${r.lock}` : ''}${r.keptAs ? `, kept as ${r.keptAs}` : ''}.`)
}
