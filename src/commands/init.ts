import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {renderInit} from '../cli/render/init.js'
import {init} from '../core/init/init.js'

export default class Init extends BaseCommand {
  static override summary = 'Set a folder up for wicker: config, .gitignore and .gitattributes lines.'
  static override description = `Writes a commented wicker.config.json (if there is none), adds the staging folders and .wicker/ to .gitignore, and adds a .gitattributes line so git never line-merges lego_baskets.json. Existing lines are kept; running it twice changes nothing.

DIR is made when it is missing, but its parent must exist (a mistyped path must not make a tree of folders): --parents makes the missing parents too.

Exit codes: 0 ok; 2 usage (DIR not usable: its parent does not exist without --parents, or a file is in the way); 4 I/O (a folder the file system refuses to make).`

  static override examples = [
    {description: 'Set up the current folder', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Set up a course folder', command: '<%= config.bin %> <%= command.id %> public/vfs/courses/spa_for_eng'},
    {description: 'Make a new folder and its parents, then set it up', command: '<%= config.bin %> <%= command.id %> courses/new/spa_for_eng --parents'},
  ]

  static override args = {dir: Args.string({description: 'Folder to set up (its parent must exist, unless --parents).', default: '.'})}
  static override flags = {parents: Flags.boolean({description: 'Make the folder and any missing parent folders (like mkdir -p).'})}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Init)
    const ui = this.makeUi(flags)
    const result = await init({dir: args.dir, cwd: process.cwd(), parents: flags.parents})
    this.finish(ui, {result, warnings: [], exitCode: 0, render: renderInit})
  }
}
