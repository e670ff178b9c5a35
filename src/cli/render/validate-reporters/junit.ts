import type {Finding} from '../../../core/validate/model.js'
import type {ValidateResult} from '../../../core/validate/validate.js'
import {blockingChecks, findingTitle, reportFile} from './shared.js'

/**
 * Text XML 1.0 can carry: the five markup characters as entities, a carriage return as a character
 * reference (a parser would turn a raw one into a line feed), and a character XML does not allow at
 * all (control characters, a lone surrogate such as \ud800, U+FFFE/U+FFFF) written out as \uXXXX.
 */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
}

const attributes = (values: Record<string, string | number>) => Object.entries(values).map(([k, v]) => ` ${k}="${xml(String(v))}"`).join('')

/**
 * A JUnit XML document for CI dashboards: a testsuite per check, a testcase per basket with findings
 * of that check (or one for the check when it found nothing). Findings that make the verdict BLOCK
 * are <failure> elements; the others pass, listed in <system-out>, so the dashboard is red exactly
 * when the verdict is BLOCK.
 */
export function junitReport(r: ValidateResult, cwd: string): string {
  const file = reportFile(r, cwd)
  const blocks = blockingChecks(r)
  const byCheck = new Map<string, Map<string, Finding[]>>()
  for (const f of r.findings) {
    let cases = byCheck.get(f.check)
    if (!cases) byCheck.set(f.check, (cases = new Map()))
    // course-wide findings (no basket) are one testcase named for the check
    const name = f.basket ?? f.check
    const list = cases.get(name)
    if (list) list.push(f)
    else cases.set(name, [f])
  }
  const suites: string[] = []
  let tests = 0
  let failures = 0
  for (const check of r.checks) {
    const cases = byCheck.get(check.id) ?? new Map<string, Finding[]>([[check.id, []]])
    const failing = blocks.has(check.id) ? cases.size : 0
    tests += cases.size
    failures += failing
    const body = [...cases.entries()].map(([name, list]) => {
      const open = `    <testcase${attributes({classname: `${r.course}.${check.id}`, name, file})}`
      if (list.length === 0) return `${open}/>`
      const text = xml(list.map((f) => `${findingTitle(f)}: ${f.message}`).join('\n'))
      const inner = blocks.has(check.id) ? `      <failure${attributes({type: check.id, message: `${list.length} ${check.severity} finding(s): ${list[0]!.message}`})}>${text}</failure>` : `      <system-out>${text}</system-out>`
      return `${open}>\n${inner}\n    </testcase>`
    })
    suites.push(`  <testsuite${attributes({name: check.id, tests: cases.size, failures: failing, errors: 0, skipped: 0})}>\n${body.join('\n')}\n  </testsuite>`)
  }
  const head = `<testsuites${attributes({name: `wicker validate ${r.course}: ${r.verdict}`, tests, failures, errors: 0})}>`
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.join('\n')}\n</testsuites>\n`
}
