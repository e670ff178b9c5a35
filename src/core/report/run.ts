import {relative} from 'node:path'

import type {ReportData} from '../schemas/report.js'
import {wickerPaths} from '../store/paths.js'
import {writeUserFile} from '../store/user-file.js'
import {writeInside} from '../store/wicker-folder.js'
import type {ValidateResult} from '../validate/validate.js'
import {reportHtml} from './build.js'
import {reportData, type ReportOptions} from './data.js'
import {MAX_DRAWN_CELLS} from './html/heatmap.js'

export interface RunReportOptions extends ReportOptions {
  /** --out: a file relative to cwd; by default <course>/.wicker/report.html */
  out?: string | null
  /** the flag that named `out`, for its error message */
  outFlag?: string
}

export interface ReportResult {
  course: string
  file: string
  bytes: number
  seeds: number
  legos: number
  coverage: number
  verdict: ValidateResult['verdict']
  gateViolationRate: number
  runs: number
  history: number
  grouped: boolean
}

/** What the report says in a line or two (the command's --json result). */
export function reportSummary(data: ReportData, file: string, bytes: number): ReportResult {
  return {
    course: data.course,
    file,
    bytes,
    seeds: data.seeds.length,
    legos: data.detect.counts.legos,
    coverage: data.detect.coverage,
    verdict: data.validate.verdict,
    gateViolationRate: data.validate.counts.gateViolationRate,
    runs: data.runs.length,
    history: data.history.length,
    grouped: data.seeds.length > MAX_DRAWN_CELLS,
  }
}

/**
 * Writes the report page: to --out (relative to the working folder, made atomically), or to
 * .wicker/report.html inside the course (through real folders only, as every write there). Reads
 * the course as validate does and changes nothing else. Also gives validate's result, so that
 * `validate --report` checks once.
 */
export async function runReport(options: RunReportOptions): Promise<{result: ReportResult; warnings: string[]; validated: ValidateResult}> {
  const {data, warnings, validated, courseDir} = await reportData(options)
  options.onProgress?.('writing the page')
  // encoded once: the write and the result's byte count use the same bytes
  const html = Buffer.from(reportHtml(data), 'utf8')
  let file: string
  if (options.out) {
    file = await writeUserFile(options.cwd, options.out, html, options.outFlag ?? '--out')
  } else {
    file = wickerPaths(courseDir).report
    await writeInside(courseDir, file, html, {durable: false})
  }
  return {result: reportSummary(data, file, html.length), warnings, validated}
}

/** The file as a user would type it from the working folder. */
export const shownPath = (cwd: string, file: string): string => {
  const rel = relative(cwd, file)
  return rel && !rel.startsWith('..') ? rel : file
}
