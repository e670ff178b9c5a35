import type {FormatId} from '../formats/containers.js'

/**
 * Files per format: each file read as a basket container counts once, under the one format it was
 * read as (a slot scaffold as F13/F14, not also as its container), so the counts add up to the files
 * with a format.
 */
export function formatCounts(files: ReadonlyArray<{format: FormatId | null}>): Partial<Record<FormatId, number>> {
  const formats: Partial<Record<FormatId, number>> = {}
  for (const f of files) if (f.format) formats[f.format] = (formats[f.format] ?? 0) + 1
  return formats
}
