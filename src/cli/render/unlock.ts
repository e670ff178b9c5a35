import type {runUnlock} from '../../core/status/status.js'
import type {Ui} from '../ui.js'

type UnlockResult = Awaited<ReturnType<typeof runUnlock>>['result']

export function renderUnlock(ui: Ui, r: UnlockResult): void {
  ui.out(r.removed ? `Removed the lock of ${r.removed.command} (pid ${r.removed.pid} on ${r.removed.host}).` : 'There was no lock.')
}
