import type {ValidateResult} from '../../core/validate/validate.js'
import type {Ui} from '../ui.js'
import {table} from './table.js'

const WORST = 10

export function renderValidate(ui: Ui, r: ValidateResult): void {
  const c = ui.chalk
  ui.out(`${c.bold(r.course)}: ${r.counts.baskets} baskets, ${r.counts.phrases} phrases, GATE ${r.gate}.`)
  ui.out()
  const rows = r.checks.map((k) => [k.count === 0 ? c.green('ok') : k.severity === 'error' ? c.red('✗') : c.yellow('!'), k.id, k.severity, k.count, k.description])
  for (const line of table(['', 'check', 'severity', 'found', 'what it checks'], rows)) ui.out(line)

  const byBasket = new Map<string, typeof r.findings>()
  for (const f of r.findings) {
    if (f.check === 'coverage' || f.basket === null) continue
    byBasket.set(f.basket, [...(byBasket.get(f.basket) ?? []), f])
  }
  const worst = [...byBasket.entries()].sort((a, b) => b[1].filter((f) => f.severity === 'error').length - a[1].filter((f) => f.severity === 'error').length || b[1].length - a[1].length).slice(0, WORST)
  if (worst.length > 0) {
    ui.out()
    ui.out(c.bold(`Worst offenders (${worst.length} of ${byBasket.size} baskets with findings):`))
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
  if (r.passed) ui.out(c.green(`PASSED`) + ` with ${r.counts.errors} error(s) and ${r.counts.warnings} warning(s).`)
  else ui.out(c.red('FAILED') + `: ${r.reasons.join('; ')}.`)
}
