import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderValidate} from '../cli/render/validate.js'
import {VALIDATE_FORMATS, validateReport, type ValidateFormat} from '../cli/render/validate-reporters/index.js'
import {componentsFlag, gateFlag, orientationFlag} from '../cli/shared-flags.js'
import {EXIT, UsageError} from '../core/errors.js'
import {CHECK_IDS, type CheckId} from '../core/schemas/check-ids.js'
import type {GateDefinition} from '../core/schemas/gate-definitions.js'
import {runValidate} from '../core/validate/run.js'
import {runReport, shownPath} from '../core/report/run.js'
import {writeUserFile} from '../core/store/user-file.js'
import {intFlag} from '../cli/int-flags.js'

export default class Validate extends BaseCommand {
  static override summary = 'Check the canon against lego_pairs: coverage, GATE, final LEGO, leakage and more; give a go/no-go verdict.'
  static override description = `Runs every check (${CHECK_IDS.join(', ')}) and reports each offending basket and phrase. Read-only.

Verdict: BLOCK when a critical check has any finding (--critical; by default every error check but gate), GATE violations pass --max-gate-violations (a percentage of phrases), or the findings of the other checks pass --max-warnings; CONDITIONAL_PROCEED when nothing blocks but something was found; PROCEED when nothing was found. --strict is --max-warnings 0. Flags win over the "validate" section of wicker.config.json (critical, maxWarnings, maxGateViolations, strict).

--report FILE also writes the HTML page of wicker report from the same check.

--format github|junit|markdown prints that report on stdout instead of the text; with --output FILE the report goes to FILE and stdout keeps the text (or, with --json, the JSON envelope). --json with --format needs --output.

Exit codes: 0 PROCEED (or CONDITIONAL_PROCEED without --detailed-exitcode); 1 findings (BLOCK); 2 usage or bad input; 4 I/O; 5 CONDITIONAL_PROCEED (with --detailed-exitcode).`

  static override examples = [
    {description: 'Validate with the default GATE (cumulative)', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'The generation prompt\'s window of 10 seeds, allowing 2% GATE violations', command: '<%= config.bin %> <%= command.id %> spa_for_eng --gate window --window-seeds 10 --max-gate-violations 2'},
    {description: 'A CI gate: 0 PROCEED, 5 CONDITIONAL_PROCEED, 1 BLOCK; at most 20 warnings', command: '<%= config.bin %> <%= command.id %> spa_for_eng --detailed-exitcode --max-warnings 20'},
    {description: 'In GitHub Actions: annotations in the log, a summary on the run page', command: '<%= config.bin %> <%= command.id %> spa_for_eng --format github && <%= config.bin %> <%= command.id %> spa_for_eng --format markdown --output "$GITHUB_STEP_SUMMARY"'},
    {description: 'A JUnit file for a dashboard, the JSON envelope on stdout', command: '<%= config.bin %> <%= command.id %> spa_for_eng --format junit --output validate.xml --json'},
  ]

  static override args = {course: courseArg}

  static override flags = {
    gate: gateFlag,
    'window-seeds': intFlag('window-seeds', {description: 'GATE window: seeds before the current one in reach [default: 10].'}),
    'recent-new-legos': intFlag('recent-new-legos', {description: 'GATE window: most recent new LEGOs also in reach [default: 30].'}),
    components: componentsFlag,
    'max-gate-violations': Flags.string({description: 'Percentage of phrases allowed to break GATE [default: 0].'}),
    'max-words': intFlag('max-words', {description: 'Words above which a phrase is suspect [default: 15].'}),
    critical: Flags.string({description: 'Checks whose every finding blocks, comma-separated; "" for none [default: every error check but gate].'}),
    'max-warnings': intFlag('max-warnings', {description: 'Findings of the checks that are not critical (GATE aside) allowed before BLOCK [default: no limit].', exclusive: ['strict']}),
    strict: Flags.boolean({description: 'Shorthand for --max-warnings 0.'}),
    'detailed-exitcode': Flags.boolean({description: 'Exit 5 (not 0) on CONDITIONAL_PROCEED.'}),
    format: Flags.string({description: 'Report format instead of the text: GitHub annotations, JUnit XML, a Markdown summary.', options: [...VALIDATE_FORMATS]}),
    output: Flags.string({description: 'Write the --format report to this file; stdout keeps the text or JSON.', dependsOn: ['format']}),
    report: Flags.string({description: 'Also write the HTML report page (as `wicker report --out FILE`) from this same check.'}),
    orientation: orientationFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Validate)
    const ui = this.makeUi(flags)
    const format = flags.format as ValidateFormat | undefined
    if (format && flags.json && !flags.output) throw new UsageError({code: 'E_USAGE', message: `--format ${format} and --json both print on stdout.`, hint: 'Add --output FILE for the report, or leave out one of them.'})
    const max = flags['max-gate-violations']
    const maxWarnings = flags['max-warnings']
    const settings = {
      ...this.courseOptions(args.course, flags),
      gate: {definition: flags.gate as GateDefinition | undefined, windowSeeds: flags['window-seeds'], recentNewLegos: flags['recent-new-legos'], components: flags.components},
      validate: {
        maxGateViolations: max === undefined ? undefined : Number(max.replace(/%$/, '')),
        maxWords: flags['max-words'],
        // a flag wins over the config: --max-warnings N undoes "strict": true there
        strict: flags.strict || (maxWarnings === undefined ? undefined : false),
        maxWarnings,
        critical: flags.critical === undefined ? undefined : (flags.critical.split(',').map((id) => id.trim()).filter(Boolean) as CheckId[]),
      },
    }
    const report = flags.report
    // with --report the page is drawn from this same check (the course is read and validated once)
    const {result, warnings} = await ui.withProgress(async (onProgress) => {
      if (report === undefined) return runValidate({...settings, onProgress})
      const made = await runReport({...settings, onProgress, out: report, outFlag: '--report'})
      ui.info(`report written to ${shownPath(process.cwd(), made.result.file)}`)
      return {result: made.validated, warnings: made.warnings}
    })
    const cwd = process.cwd()
    if (format && flags.output) await writeUserFile(cwd, flags.output, validateReport(format, result, cwd), '--output')
    const exitCode = result.verdict === 'BLOCK' ? EXIT.findings : result.verdict === 'CONDITIONAL_PROCEED' && flags['detailed-exitcode'] ? EXIT.conditional : EXIT.ok
    const render = format && !flags.output ? () => ui.out(validateReport(format, result, cwd).replace(/\n$/, '')) : renderValidate
    this.finish(ui, {result, warnings, exitCode, render})
  }
}
