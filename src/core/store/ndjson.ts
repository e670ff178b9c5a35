import type {z} from 'zod'

/**
 * wicker's append-only logs (the journal, each run's launch ledger) are NDJSON: one JSON record a
 * line, appended whole. This is the one reader and writer of that format, so both logs tolerate the
 * same damage the same way:
 *
 * - a line that is not JSON at all is a line cut short by a kill while it was appended (or garbage
 *   someone wrote): it is returned in `torn`, never obeyed, never a crash;
 * - a line that is JSON but does not check against the caller's schema is returned in `invalid`
 *   with the first zod issue, for the caller to report (or refuse, as the journal does);
 * - a log whose last line has no newline was torn: the next append starts a fresh line first, so the
 *   torn bytes cannot swallow the record after them.
 */
export interface NdjsonInvalid {
  /** 1-based line number, for messages */
  line: number
  value: unknown
  /** "path.to.field: message" of the first issue */
  reason: string
  issues: z.core.$ZodIssue[]
}

export interface NdjsonRead<T> {
  records: Array<{line: number; value: T}>
  invalid: NdjsonInvalid[]
  /** line numbers of lines that are not JSON */
  torn: number[]
  /** the text ends inside a line: append a newline before the next record */
  tornTail: boolean
}

export function issueText(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0]
  if (!issue) return 'not a record wicker writes'
  return `${issue.path.length > 0 ? issue.path.join('.') : 'record'}: ${issue.message}`
}

/** Every line of an NDJSON text, checked against `schema`. Blank lines are skipped. */
export function parseNdjson<S extends z.ZodType>(text: string, schema: S): NdjsonRead<z.output<S>> {
  const out: NdjsonRead<z.output<S>> = {records: [], invalid: [], torn: [], tornTail: endsTorn(text)}
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      out.torn.push(i + 1)
      return
    }
    const parsed = schema.safeParse(value)
    if (parsed.success) out.records.push({line: i + 1, value: parsed.data})
    else out.invalid.push({line: i + 1, value, reason: issueText(parsed.error.issues), issues: parsed.error.issues})
  })
  return out
}

/** The text ends inside a line (a kill cut the last append short). */
export function endsTorn(text: string): boolean {
  return text !== '' && !text.endsWith('\n')
}

/**
 * The text to append for `records`: one line each, after a newline that ends a torn last line.
 * Each record is checked first: writing a line the next reader would refuse is a bug here, never
 * the user's, so it throws a plain Error (exit 10).
 */
export function ndjsonAppendText<S extends z.ZodType>(records: ReadonlyArray<z.input<S>>, schema: S, what: string, options: {afterTorn?: boolean} = {}): string {
  let text = options.afterTorn ? '\n' : ''
  for (const record of records) {
    const checked = schema.safeParse(record)
    if (!checked.success) throw new Error(`bug: ${what} record does not check: ${issueText(checked.error.issues)}`)
    text += `${JSON.stringify(record)}\n`
  }
  return text
}
