import type {ValidateResult} from '../../core/validate/validate.js'
import type {Ui} from '../ui.js'
import {table} from './table.js'
import {worstBaskets} from './validate-reporters/shared.js'

const WORST = 10

export function renderValidate(ui: Ui, r: ValidateResult): void {
  const c = ui.chalk
  ui.out(`${c.bold(r.course)}: ${r.counts.baskets} baskets, ${r.counts.phrases} phrases, GATE ${r.gate}.`)
  ui.out()
  const rows = r.checks.map((k) => [k.count === 0 ? c.green('ok') : k.blocks ? c.red('✗') : c.yellow('!'), k.id, k.severity, k.count, k.critical ? 'yes' : '', k.description])
  for (const line of table(['', 'check', 'severity', 'found', 'critical', 'what it checks'], rows)) ui.out(line)

  const {worst, total} = worstBaskets(r, WORST)
  if (worst.length > 0) {
    ui.out()
    ui.out(c.bold(`Worst offenders (${worst.length} of ${total} baskets with findings):`))
    for (const [id, list] of worst) {
      ui.out(`  ${c.bold(id)}  ${list.length} finding(s)`)
      for (const f of list.slice(0, 3)) ui.out(`    ${f.severity === 'error' ? c.red(f.check) : c.yellow(f.check)}: ${f.message}`)
      if (list.length > 3) ui.out(c.dim(`    … ${list.length - 3} more`))
    }
  }
  const courseWide = r.findings.filter((f) => f.basket === null)
  for (const f of courseWide.slice(0, 5)) ui.out(`  ${f.severity === 'error' ? c.red(f.check) : c.yellow(f.check)}: ${f.message}`)
  ui.out()
  ui.out(`GATE: ${r.counts.gateViolations} phrase(s) (${r.counts.gateViolationRate.toFixed(2)}%) use words not yet available.`)
  ui.out(`${r.passed ? c.green('PASSED') : c.red('FAILED')} with ${r.counts.errors} error(s) and ${r.counts.warnings} warning(s).`)
  for (const reason of r.verdictReasons) ui.out(`  ${reason}`)
  const colour = r.verdict === 'BLOCK' ? c.red : r.verdict === 'CONDITIONAL_PROCEED' ? c.yellow : c.green
  ui.out(`Verdict: ${colour.bold(r.verdict)}`)
}
