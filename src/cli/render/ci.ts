import {relative} from 'node:path'

import type {CiFilesResult} from '../../core/ci/result.js'
import type {CiK8sResult} from '../../core/ci/run-k8s.js'
import type {OwnedFileAction} from '../../core/store/owned-file.js'
import type {Ui} from '../ui.js'

const SAID: Record<OwnedFileAction, string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  replaced: 'replaced',
}

/** A path as the user would type it from here: relative when it is below the current folder. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file)
  return rel !== '' && !rel.startsWith('..') ? rel : file
}

/**
 * What every `wicker ci` command prints: each file it wrote (or left as it was) with what it did and
 * the backup of what a replace found there, then the next steps (on stderr, as hints).
 */
export function renderCiFiles(ui: Ui, result: CiFilesResult, summary?: string): void {
  const c = ui.chalk
  const width = Math.max(...result.files.map((f) => SAID[f.action].length))
  for (const f of result.files) {
    const action = SAID[f.action].padEnd(width)
    const colour = f.action === 'unchanged' ? c.dim : f.action === 'replaced' ? c.yellow : c.green
    ui.out(`${colour(action)} ${shown(f.file)}${f.backup ? c.dim(` (what was there is kept as ${shown(f.backup)})`) : ''}`)
  }
  if (summary) ui.out(summary)
  if (result.next.length === 0) return
  ui.info('')
  ui.info('Next:')
  result.next.forEach((line, i) => ui.info(`  ${i + 1}. ${line}`))
}

/** `wicker ci k8s`: the files, then what the Job will run. */
export function renderCiK8s(ui: Ui, r: CiK8sResult): void {
  renderCiFiles(ui, r, `Job ${r.job}${r.namespace ? ` in namespace ${r.namespace}` : ''}: run ${r.run} in ${r.shards} shard(s), ${r.parallelism} pod(s) at once, agent ${r.agent}, image ${r.image}.`)
}
