import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderValidate} from '../cli/render/validate.js'
import {componentsFlag, gateFlag, orientationFlag} from '../cli/shared-flags.js'
import type {GateDefinition} from '../core/schemas/gate-definitions.js'
import {runValidate} from '../core/validate/run.js'
import {intFlag} from '../cli/int-flags.js'

export default class Validate extends BaseCommand {
  static override summary = 'Check the canon against lego_pairs: coverage, GATE, final LEGO, leakage and more.'
  static override description = `Runs every check (schema, coverage, overage, orphan, stray, empty-basket, phrase-count, containment, duplicate-phrase, final-sentence, derived-fields, lego-text, gate, leakage, swapped, blank, encoding, too-long) and reports each offending basket and phrase. Read-only.

Passes when there is no error outside GATE, GATE violations stay within --max-gate-violations (a percentage of phrases), and, with --strict, there is no warning.

Exit codes: 0 passed; 1 failed; 2 usage or bad input; 4 I/O.`

  static override examples = [
    {description: 'Validate with the default GATE (cumulative)', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'The generation prompt\'s window of 10 seeds, allowing 2% GATE violations', command: '<%= config.bin %> <%= command.id %> spa_for_eng --gate window --window-seeds 10 --max-gate-violations 2'},
    {description: 'A CI gate: warnings fail too, JSON result', command: '<%= config.bin %> <%= command.id %> spa_for_eng --strict --json'},
  ]

  static override args = {course: courseArg}

  static override flags = {
    gate: gateFlag,
    'window-seeds': intFlag('window-seeds', {description: 'GATE window: seeds before the current one in reach [default: 10].'}),
    'recent-new-legos': intFlag('recent-new-legos', {description: 'GATE window: most recent new LEGOs also in reach [default: 30].'}),
    components: componentsFlag,
    'max-gate-violations': Flags.string({description: 'Percentage of phrases allowed to break GATE [default: 0].'}),
    'max-words': intFlag('max-words', {description: 'Words above which a phrase is suspect [default: 15].'}),
    strict: Flags.boolean({description: 'Warnings fail too.'}),
    orientation: orientationFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Validate)
    const ui = this.makeUi(flags)
    const max = flags['max-gate-violations']
    const {result, warnings} = await runValidate({
      ...this.courseOptions(args.course, flags),
      gate: {definition: flags.gate as GateDefinition | undefined, windowSeeds: flags['window-seeds'], recentNewLegos: flags['recent-new-legos'], components: flags.components},
      validate: {maxGateViolations: max === undefined ? undefined : Number(max.replace(/%$/, '')), maxWords: flags['max-words'], strict: flags.strict || undefined},
    })
    this.finish(ui, {result, warnings, exitCode: result.passed ? 0 : 1, render: renderValidate})
  }
}
