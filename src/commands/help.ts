import {Args, Command, loadHelpClass} from '@oclif/core'

export default class HelpCommand extends Command {
  static override summary = 'Show help for wicker or for one command.'
  static override description = 'The same text as `wicker COMMAND --help`.\n\nExit codes: 0 ok; 2 usage (unknown command).'
  static override examples = [
    {description: 'Every command', command: '<%= config.bin %> help'},
    {description: 'One command, with its flags and examples', command: '<%= config.bin %> help validate'},
  ]

  static override args = {command: Args.string({description: 'Command to show help for.', required: false})}
  static override strict = false

  async run(): Promise<void> {
    const {argv} = await this.parse(HelpCommand)
    const Help = await loadHelpClass(this.config)
    await new Help(this.config, this.config.pjson.oclif.helpOptions ?? this.config.pjson.helpOptions).showHelp(argv as string[])
  }
}
