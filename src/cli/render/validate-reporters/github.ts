import type {ValidateResult} from '../../../core/validate/validate.js'
import {blockingChecks, findingTitle, reportFile} from './shared.js'

/** Workflow-command data: GitHub's rules (actions/toolkit command.ts) turn these three back. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
/** A property value also must not hold the separators of the property list. */
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

function command(level: 'error' | 'warning' | 'notice', properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties).map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',')
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`
}

/**
 * GitHub Actions annotations: one workflow command per finding, on the canon file; ::error for the
 * findings that make the verdict BLOCK, ::warning for the rest; the verdict last.
 */
export function githubReport(r: ValidateResult, cwd: string): string {
  const file = reportFile(r, cwd)
  const blocks = blockingChecks(r)
  const lines = r.findings.map((f) => command(blocks.has(f.check) ? 'error' : 'warning', {file, title: findingTitle(f)}, f.basket === null ? f.message : `${f.basket}: ${f.message}`))
  const level = r.verdict === 'BLOCK' ? 'error' : r.verdict === 'CONDITIONAL_PROCEED' ? 'warning' : 'notice'
  lines.push(command(level, {title: `wicker validate ${r.course}: ${r.verdict}`}, [`Verdict: ${r.verdict}`, ...r.verdictReasons].join('\n')))
  return `${lines.join('\n')}\n`
}
