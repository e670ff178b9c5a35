import {Args} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {renderDemo, renderDemoStep} from '../cli/render/demo.js'
import {runDemo} from '../core/demo/demo.js'

export default class Demo extends BaseCommand {
  static override summary = 'The whole chain on the bundled sample course, with the built-in agent.'
  static override description = `Copies the bundled sample course (invented, 20 seeds, a canon half filled, a few dirty staging files) into DIR and runs detect → prepare-segments → launch (built-in agent) → extract → preview → merge → validate, showing each step. It ends with full coverage and validate passing. Running it again in the same DIR changes nothing and says so.

The built-in agent's phrases are mechanical: they show the pipeline, not a writer's work.

DIR and its missing parents are made one level at a time; one the file system refuses (e.g. under /proc) stops the demo at once.

Exit codes: 0 ok; 1 findings (validate failed); 2 usage (DIR not usable: a file is where a folder must be); 4 I/O (a folder that cannot be made).`

  static override examples = [
    {description: 'Run the demo in ./wicker-demo', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Somewhere else, as JSON', command: '<%= config.bin %> <%= command.id %> /tmp/demo --json'},
  ]

  static override args = {dir: Args.string({description: 'Folder to run the demo in.', default: 'wicker-demo'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Demo)
    const ui = this.makeUi(flags)
    const {result, warnings} = await ui.withProgress((onProgress, progress) => runDemo({
      dir: args.dir,
      cwd: process.cwd(),
      onProgress,
      onStep: (s) => {
        progress.clear()
        renderDemoStep(ui, s)
      },
    }))
    this.finish(ui, {result, warnings, exitCode: result.passed ? 0 : 1, render: renderDemo})
  }
}
