import {relative} from 'node:path'

import type {CiFilesResult} from '../../core/ci/result.js'
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
export function renderCiFiles(ui: Ui, result: CiFilesResult): void {
  const c = ui.chalk
  const width = Math.max(...result.files.map((f) => SAID[f.action].length))
  for (const f of result.files) {
    const action = SAID[f.action].padEnd(width)
    const colour = f.action === 'unchanged' ? c.dim : f.action === 'replaced' ? c.yellow : c.green
    ui.out(`${colour(action)} ${shown(f.file)}${f.backup ? c.dim(` (what was there is kept as ${shown(f.backup)})`) : ''}`)
  }
  if (result.next.length === 0) return
  ui.info('')
  ui.info('Next:')
  for (const line of result.next) ui.info(`  - ${line}`)
}
