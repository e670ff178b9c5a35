import {Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {renderVersion, versionResult} from '../cli/render/version.js'

export default class Version extends BaseCommand {
  static override summary = 'Print the version of wicker (with --verbose: node, OS, shell, plugins, install path).'
  static override description = 'The first line is what `wicker --version` prints.\n\nExit codes: 0 ok; 2 usage (an unknown flag).'
  static override examples = [
    {description: 'The version line', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Everything a bug report needs', command: '<%= config.bin %> <%= command.id %> --verbose'},
    {description: 'For a script', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  static override flags = {verbose: Flags.boolean({description: 'Also print the node and OS versions, the shell, the plugins and where wicker is installed.'})}

  async run(): Promise<void> {
    const {flags} = await this.parse(Version)
    const ui = this.makeUi(flags)
    const result = versionResult(this.config, flags.verbose)
    this.finish(ui, {result, warnings: [], exitCode: 0, render: renderVersion})
  }
}
