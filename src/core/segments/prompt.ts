import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {UsageError} from '../errors.js'
import {packageFile} from '../package-root.js'
import {readCourseFile} from '../store/read-file.js'

/**
 * Prompts are rendered from templates with {{placeholders}}. A placeholder the renderer does not
 * know, or one it has no value for, is an error before any agent starts; so is a worker template
 * that never says where to write.
 */
export const TEMPLATE_DIR = packageFile('templates/')

export const WORKER_PLACEHOLDERS = [
  'course',
  'run',
  'packet_id',
  'known_language',
  'target_language',
  'gate',
  'phrases_per_basket',
  'max_words',
  'legos',
  'seeds',
  'previous_sentences',
  'recent_legos',
  'vocabulary',
  'regeneration',
  'output_path',
  'output_shape',
  'packet_path',
  'lego_count',
] as const
export const ORCHESTRATOR_PLACEHOLDERS = ['course', 'run', 'segment', 'orchestrator', 'packet_count', 'packets'] as const

export interface Template {
  name: string
  file: string
  text: string
  placeholders: string[]
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g

export async function loadTemplate(dir: string | null, name: 'worker' | 'orchestrator'): Promise<Template> {
  const file = join(dir ?? TEMPLATE_DIR, `${name}.md`)
  if (!existsSync(file)) {
    throw new UsageError({code: 'E_TEMPLATE_MISSING', message: `no ${name} template at ${file}.`, hint: `A template dir needs worker.md and orchestrator.md; copy them from ${TEMPLATE_DIR}.`})
  }
  const text = (await readCourseFile(file)).toString('utf8')
  const placeholders = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))]
  const known: readonly string[] = name === 'worker' ? WORKER_PLACEHOLDERS : ORCHESTRATOR_PLACEHOLDERS
  const unknown = placeholders.filter((p) => !known.includes(p))
  if (unknown.length > 0) {
    throw new UsageError({
      code: 'E_TEMPLATE_PLACEHOLDER',
      message: `${file} uses unknown placeholder(s): ${unknown.map((p) => `{{${p}}}`).join(', ')}.`,
      hint: `Placeholders a ${name} template may use: ${known.map((p) => `{{${p}}}`).join(', ')}.`,
      details: {file, unknown},
    })
  }
  if (name === 'worker' && !placeholders.includes('output_path')) {
    throw new UsageError({code: 'E_TEMPLATE_OUTPUT', message: `${file} never says where to write: it lacks {{output_path}}.`, hint: 'Add {{output_path}} (and {{output_shape}}) to the worker template.'})
  }
  return {name, file, text, placeholders}
}

/** Fills a template. Values are inserted as plain text: nothing in them is interpreted. */
export function render(template: Template, values: Record<string, string | number | undefined>): string {
  const missing = template.placeholders.filter((p) => values[p] === undefined)
  if (missing.length > 0) {
    throw new UsageError({code: 'E_TEMPLATE_VALUE', message: `${template.file}: no value for ${missing.map((p) => `{{${p}}}`).join(', ')}.`, hint: 'This placeholder has no value for this packet; remove it from the template.'})
  }
  return template.text.replace(PLACEHOLDER, (_, name: string) => String(values[name]))
}
