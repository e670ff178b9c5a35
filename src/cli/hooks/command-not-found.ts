import {type Hook, toConfiguredId} from '@oclif/core'

import {nearest} from '../did-you-mean.js'

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v)

/**
 * `wicker valdate`: say which command was meant and exit 2 (a usage error). On a terminal, and only
 * there, @oclif/plugin-not-found asks whether to run the suggestion; a script, a CI job or a closed
 * stdin gets the suggestion in the message and never a prompt.
 */
const hook: Hook<'command_not_found'> = async function (opts) {
  const {config} = opts
  const hidden = new Set(config.commands.filter((c) => c.hidden).map((c) => c.id))
  const ids = [...config.commandIDs, ...config.commands.flatMap((c) => c.aliases)].filter((id) => !hidden.has(id))
  const json = (opts.argv ?? []).includes('--json') || process.argv.includes('--json') || truthy(process.env.WICKER_JSON)
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY) && !json && !truthy(process.env.CI)
  if (interactive) {
    const {default: askToRun} = await import('@oclif/plugin-not-found')
    try {
      return await askToRun.call(this, opts)
    } catch (error) {
      const e = error as Error & {oclif?: {exit?: number}}
      // declined or no answer: still a usage error, exit 2 as everywhere else
      if (e.oclif?.exit === 127) e.oclif.exit = 2
      throw e
    }
  }
  // `wicker valdate COURSE` arrives as the id "valdate:COURSE": the command is the first word, or the
  // first two under a topic (`autocomplete scirpt`)
  const parts = opts.id.split(':')
  const word = parts.slice(0, config.findTopic(parts[0] ?? '') && parts.length > 1 ? 2 : 1).join(':')
  const typed = toConfiguredId(word, config)
  const near = nearest(word, ids)
  const suggestion = near ? ` Did you mean ${toConfiguredId(near, config)}?` : ''
  this.error(`${typed} is not a ${config.bin} command.${suggestion} Run ${config.bin} help for the list of commands.`, {code: 'E_COMMAND_NOT_FOUND', exit: 2})
}

export default hook
