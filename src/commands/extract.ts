import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderExtract} from '../cli/render/extract.js'
import {orientationFlag, stagingFlags, stagingSettings} from '../cli/shared-flags.js'
import {runExtract} from '../core/extract/run.js'

export default class Extract extends BaseCommand {
  static override summary = 'Read staging in every known format, normalise, dedupe, and report what was skipped and why.'
  static override description = `Reads every file under the staging folders (recursing; dot-folders, temp files and files still being written are skipped; symlinks are refused), recognises each basket container (F1–F14) and phrase shape, and turns each basket into {id, phrases: [{known, target}], sources}. LEGO text comes from lego_pairs; swapped sides are fixed and reported. Identical baskets from several files collapse into one; different ones are staging conflicts, except that a later launch attempt of the same packet supersedes an earlier one.

Staging files are never modified, moved or deleted. Names are read as bytes: a file whose name is not UTF-8 is skipped and reported. If staging changes while it is read (a merge moving files into .applied/), it is scanned and read again, up to 3 times, then extract stops with exit 3. The full result goes to .wicker/extract.json; unusable files are copied, with their reason, to .wicker/quarantine/.

Exit codes: 0 ok (problems are reported, not fatal); 2 usage or bad input; 3 blocked (staging kept changing while it was read: run again); 4 I/O.`

  static override examples = [
    {description: 'Extract the course\'s staging folders', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Salvage truncated agent output, marked as repaired', command: '<%= config.bin %> <%= command.id %> spa_for_eng --repair'},
    {description: 'Read another folder, JSON result', command: '<%= config.bin %> <%= command.id %> spa_for_eng --staging ./downloads/batch7 --json'},
    {description: 'Also read baskets written into lego_pairs.json where LEGOs belong (detect lists those seeds)', command: '<%= config.bin %> <%= command.id %> spa_for_eng --from-lego-pairs'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    ...stagingFlags,
    orientation: orientationFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Extract)
    const ui = this.makeUi(flags)
    const {result, warnings} = await ui.withProgress((onProgress) => runExtract({
      ...this.courseOptions(args.course, flags),
      ...stagingSettings(flags),
      onProgress,
    }))
    this.finish(ui, {result, warnings, exitCode: 0, render: renderExtract})
  }
}
