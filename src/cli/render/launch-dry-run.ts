import type {LaunchDryRun} from '../../core/launch/launch.js'
import {shellArg} from '../../core/text/shell-arg.js'
import type {Ui} from '../ui.js'

const seconds = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`)

/** One line per packet (like GNU parallel --dry-run): the command and its arguments, then where and how it would run. */
export function renderLaunchDryRun(ui: Ui, r: LaunchDryRun): void {
  const c = ui.chalk
  for (const inv of r.invocations) {
    ui.out([inv.command, ...inv.args].map(shellArg).join(' '))
    ui.info(c.dim(`  #${inv.index} ${inv.packet} attempt ${inv.attempt}: in ${inv.cwd}, stdin from ${inv.stdinFile}, adds ${[...Object.keys(inv.env), ...inv.envAtStart].join(' ')}, timeout ${seconds(inv.timeoutMs)} (idle ${seconds(inv.idleTimeoutMs)})`))
  }
  ui.info(`Dry run of ${r.run}${r.shard ? `, shard ${r.shard}` : ''} (${r.agent}): ${r.invocations.length} packet(s) would start, ${r.packets.skipped} skipped; nothing was started or written.`)
}
