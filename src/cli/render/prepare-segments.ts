import type {PrepareResult} from '../../core/segments/run.js'
import type {Ui} from '../ui.js'
import {shellArg} from '../../core/text/shell-arg.js'
import {table} from './table.js'

/** 1,2,3,5,7,8 → "1-3,5,7-8": packet numbers as launch --only takes them. */
export function numberRanges(numbers: readonly number[]): string {
  const parts: string[] = []
  for (let i = 0; i < numbers.length; ) {
    let j = i
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++
    parts.push(j > i ? `${numbers[i]}-${numbers[j]}` : `${numbers[i]}`)
    i = j + 1
  }
  return parts.join(',')
}

export function renderPrepare(ui: Ui, r: PrepareResult, course: string): void {
  if (r.totals.packets === 0) {
    ui.out('Nothing to prepare: no new LEGO needs a basket.')
    return
  }
  const rows = r.segments.flatMap((s) => s.packets.map((p, i) => [s.index, i + 1, p.id, p.seeds.length === 1 ? p.seeds[0]! : `${p.seeds[0]}–${p.seeds.at(-1)}`, p.legos]))
  for (const line of table(['segment', '#', 'packet', 'seeds', 'LEGOs'], rows.slice(0, 50))) ui.out(line)
  if (rows.length > 50) ui.out(ui.chalk.dim(`… ${rows.length - 50} more packets; --json lists them all.`))
  ui.out()
  ui.out(`Run ${ui.chalk.bold(r.run)}${r.unchanged ? ' (unchanged: prepared before from the same input)' : ''}: ${r.totals.packets} packet(s) in ${r.totals.segments} segment(s), ${r.totals.seeds} seed(s), ${r.totals.legos} LEGO(s).`)
  for (const s of r.skipped.slice(0, 10)) ui.info(`skipped ${s.id}: ${s.reason}`)
  if (r.shards) {
    ui.out()
    const shown = (list: string) => (list.length > 60 ? `${list.slice(0, 59)}…` : list)
    for (const line of table(['shard', 'packets', 'LEGOs', 'packet numbers'], r.shards.map((s) => [`${s.shard}/${r.shards!.length}`, s.packets, s.legos, shown(numberRanges(s.indexes))]).slice(0, 50))) ui.out(line)
    if (r.shards.length > 50) ui.out(ui.chalk.dim(`… ${r.shards.length - 50} more shards; --json lists them all.`))
    ui.info(`Packets and prompts are in ${r.dir}; on machine I of ${r.shards.length}: wicker launch ${shellArg(course)} --run ${r.run} --shard I/${r.shards.length}`)
    return
  }
  ui.info(`Packets and prompts are in ${r.dir}; start the agents with: wicker launch ${shellArg(course)} --run ${r.run}`)
}
