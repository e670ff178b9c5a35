import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {intFlag} from '../cli/int-flags.js'
import {renderReport} from '../cli/render/report.js'
import {componentsFlag, gateFlag, orientationFlag} from '../cli/shared-flags.js'
import {runReport} from '../core/report/run.js'
import type {GateDefinition} from '../core/schemas/gate-definitions.js'

export default class Report extends BaseCommand {
  static override summary = 'Write one self-contained HTML page: coverage and findings heatmaps, checks, GATE under every definition, launch runs, history.'
  static override description = `Reads the course as detect and validate do, the ledgers of its launch runs and its journal, and writes one HTML file that opens from disk (file://) and loads nothing: its data is embedded as JSON, its charts are inline SVG, and a Content-Security-Policy forbids every request. The numbers read without JavaScript; the heatmaps work with the keyboard (Tab into a grid, arrow keys) and a screen reader; light and dark follow the system. Read-only, but for the file it writes: --out FILE (relative to the working folder), or .wicker/report.html in the course.

The GATE flags are validate's: the page shows every definition, and its summary and findings use the one chosen (config "gate" section, then the default).

Exit codes: 0 ok (the page was written, whatever it shows); 2 usage or bad input; 4 I/O.`

  static override examples = [
    {description: 'Write .wicker/report.html in the course and print its path', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'Write it where a CI job keeps its artifacts', command: '<%= config.bin %> <%= command.id %> spa_for_eng --out artifacts/report.html'},
    {description: 'The path and headline numbers as JSON', command: '<%= config.bin %> <%= command.id %> spa_for_eng --out report.html --json'},
  ]

  static override args = {course: courseArg}

  static override flags = {
    out: Flags.string({char: 'o', description: 'Write the page to this file [default: <course>/.wicker/report.html].'}),
    gate: gateFlag,
    'window-seeds': intFlag('window-seeds', {description: 'GATE window: seeds before the current one in reach [default: 10].'}),
    'recent-new-legos': intFlag('recent-new-legos', {description: 'GATE window: most recent new LEGOs also in reach [default: 30].'}),
    components: componentsFlag,
    worst: intFlag('worst', {description: 'Baskets shown in the list of the worst [default: 20].'}),
    orientation: orientationFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Report)
    const ui = this.makeUi(flags)
    const {result, warnings} = await ui.withProgress((onProgress) => runReport({
      ...this.courseOptions(args.course, flags),
      onProgress,
      out: flags.out,
      worst: flags.worst,
      gate: {definition: flags.gate as GateDefinition | undefined, windowSeeds: flags['window-seeds'], recentNewLegos: flags['recent-new-legos'], components: flags.components},
    }))
    this.finish(ui, {result, warnings, exitCode: 0, render: renderReport})
  }
}
