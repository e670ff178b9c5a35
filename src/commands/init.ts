import {Args} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {renderInit} from '../cli/render/init.js'
import {init} from '../core/init/init.js'

export default class Init extends BaseCommand {
  static override summary = 'Set a folder up for wicker: config, .gitignore and .gitattributes lines.'
  static override description = `Writes a commented wicker.config.json (if there is none), adds the staging folders and .wicker/ to .gitignore, and adds a .gitattributes line so git never line-merges lego_baskets.json. Existing lines are kept; running it twice changes nothing.

Exit codes: 0 ok; 2 usage (DIR not usable); 4 I/O.`

  static override examples = [
    {description: 'Set up the current folder', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Set up a course folder', command: '<%= config.bin %> <%= command.id %> public/vfs/courses/spa_for_eng'},
  ]

  static override args = {dir: Args.string({description: 'Folder to set up.', default: '.'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Init)
    const ui = this.makeUi(flags)
    const result = await init({dir: args.dir, cwd: process.cwd()})
    this.finish(ui, {result, warnings: [], exitCode: 0, render: renderInit})
  }
}
