import type {ValidateResult} from '../../../core/validate/validate.js'
import {reportFile, worstBaskets} from './shared.js'

const WORST = 10

/**
 * Text that stays text in GitHub-flavoured Markdown: punctuation that could start markup (a `|`
 * that would end a table cell, a backtick, emphasis, links, HTML) is backslash-escaped, and a line
 * break becomes a space so a cell stays on its row.
 */
const md = (text: string) => text.replace(/\r\n|\r|\n/g, ' ').replace(/[\\`*_[\]<>|~#&!]/g, (c) => `\\${c}`)

const row = (cells: Array<string | number>) => `| ${cells.map((c) => (typeof c === 'number' ? String(c) : md(c))).join(' | ')} |`

/** A summary for $GITHUB_STEP_SUMMARY: the verdict and its reasons, a table of the checks, the worst baskets. */
export function markdownReport(r: ValidateResult, cwd: string): string {
  const lines = [`## wicker validate: ${md(r.course)}`, '', `**Verdict: ${r.verdict}**`, '']
  for (const reason of r.verdictReasons) lines.push(`- ${md(reason)}`)
  if (r.verdictReasons.length > 0) lines.push('')
  lines.push(`${r.counts.baskets} baskets, ${r.counts.phrases} phrases in ${md(reportFile(r, cwd))}; GATE ${md(r.gate)}: ${r.counts.gateViolations} phrase(s) (${r.counts.gateViolationRate.toFixed(2)}%).`, '')
  lines.push('| check | severity | critical | found | blocks |', '| --- | --- | --- | ---: | --- |')
  for (const c of r.checks) lines.push(row([c.id, c.severity, c.critical ? 'yes' : 'no', c.count, c.blocks ? 'yes' : '']))
  const {worst, total} = worstBaskets(r, WORST)
  if (worst.length > 0) {
    lines.push('', `### Worst baskets (${worst.length} of ${total} with findings)`, '', '| basket | findings | errors | first finding |', '| --- | ---: | ---: | --- |')
    for (const [id, list] of worst) lines.push(row([id, list.length, list.filter((f) => f.severity === 'error').length, `${list[0]!.check}: ${list[0]!.message}`]))
  }
  return `${lines.join('\n')}\n`
}
