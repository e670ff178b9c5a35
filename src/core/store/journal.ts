import {dirname} from 'node:path'

import {BlockedError, ioError} from '../errors.js'
import {journalRecordSchema as recordSchema, TX_ID, type BeginRecord, type JournalRecord, type Move} from '../schemas/journal.js'
import type {Disk} from './disk.js'
import {endsTorn, ndjsonAppendText, parseNdjson} from './ndjson.js'
import type {WickerPaths} from './paths.js'
import {makeRealFolder} from './wicker-folder.js'

/**
 * The append-only journal: every transaction on canon is a `begin` record, then `commit` or
 * `abort`, and `done` once its staging files are moved; `abandon` when the user gave up an
 * interrupted one (`wicker recover --abandon`). A `begin` with no end is an interrupted
 * transaction; the next writer finishes or rolls it back from what the record says.
 *
 * The journal lives in the course folder, so it is untrusted: every line is checked against the
 * schemas below, and a line that does not check is refused, never obeyed.
 */

export {TX_ID, type BeginRecord, type JournalRecord, type Move}

/** A record as read, with its line number (1-based) for messages. */
export type JournalEntry = JournalRecord & {line: number}

/** A line that parsed as JSON but is not a record wicker writes. */
export interface BadLine {
  line: number
  /** how to name it to `recover --abandon`: its tx when that is a tx id wicker makes, else line-N */
  id: string
  reason: string
}

export async function appendJournal(disk: Disk, paths: WickerPaths, record: JournalRecord): Promise<void> {
  // Never write a record the next reader would refuse (that would be a bug here, not the user's).
  const text = (afterTorn: boolean) => ndjsonAppendText([record], recordSchema, `journal ${record.tx}`, {afterTorn})
  text(false)
  try {
    // in a real .wicker folder, and (Disk.append) never through a symlink at journal.ndjson
    await makeRealFolder(dirname(paths.root), paths.root, disk)
    // A line torn by a kill would swallow the next record if it were appended to it: start afresh.
    const torn = disk.exists(paths.journal) && endsTorn((await disk.readFile(paths.journal)).toString('utf8'))
    await disk.append(paths.journal, text(torn))
  } catch (error) {
    throw ioError(error, paths.journal, 'append to the journal')
  }
}

const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}

/** Every line, checked; lines that do not check are returned apart, not dropped. */
export async function readJournalLines(disk: Disk, paths: WickerPaths): Promise<{entries: JournalEntry[]; bad: BadLine[]}> {
  const entries: JournalEntry[] = []
  const bad: BadLine[] = []
  if (!disk.exists(paths.journal)) return {entries, bad}
  let text: string
  try {
    text = (await disk.readFile(paths.journal)).toString('utf8')
  } catch (error) {
    throw ioError(error, paths.journal, 'read the journal')
  }
  // a line that is not JSON was cut by a crash while it was appended: the transaction it began never wrote canon
  const read = parseNdjson(text, recordSchema)
  for (const r of read.records) entries.push({...r.value, line: r.line})
  for (const b of read.invalid) {
    const tx = (b.value as {tx?: unknown} | null)?.tx
    bad.push({line: b.line, id: typeof tx === 'string' && TX_ID.test(tx) ? tx : `line-${b.line}`, reason: `${b.reason} (type ${shown((b.value as {type?: unknown} | null)?.type)}, tx ${shown(tx)})`})
  }
  return {entries, bad}
}

/** The refusal for a journal record that does not check, naming its line and the way out. */
export function badRecord(paths: WickerPaths, courseDir: string, line: number, id: string, reason: string): BlockedError {
  return new BlockedError({
    code: 'E_JOURNAL_RECORD',
    message: `${paths.journal} line ${line} is not a record wicker wrote (${reason}); it was not obeyed, and nothing was changed.`,
    hint: `If this journal came with the course from elsewhere, or you have checked that canon and staging are as you want them, run \`wicker recover ${courseDir} --abandon ${id}\` (it backs up the current canon first and changes nothing else).`,
    details: {line, id},
  })
}

/** Lines that do not check and that the user has not abandoned (`recover --abandon line-N`). */
export function refusedLines({entries, bad}: {entries: JournalEntry[]; bad: BadLine[]}): BadLine[] {
  const abandoned = new Set(entries.flatMap((e) => (e.type === 'abandon' ? [e.recordLine] : [])))
  return bad.filter((b) => !abandoned.has(b.line))
}

/**
 * The journal's records, refusing a line that does not check unless the user abandoned it. Every
 * command that acts on the journal reads it through here.
 */
export async function readJournal(disk: Disk, paths: WickerPaths, courseDir = dirname(paths.root)): Promise<JournalEntry[]> {
  const journal = await readJournalLines(disk, paths)
  const open = refusedLines(journal)[0]
  if (open) throw badRecord(paths, courseDir, open.line, open.id, open.reason)
  return journal.entries
}

export interface TxView {
  begin: BeginRecord
  /** line of the begin record */
  line: number
  status: 'committed' | 'aborted' | 'abandoned' | 'open'
  done: boolean
  committedAt: string | null
}

/** Transactions in journal order, with how each ended. */
export function transactions(records: Array<JournalRecord & {line?: number}>): TxView[] {
  const byTx = new Map<string, TxView>()
  for (const r of records) {
    if (r.type === 'begin') byTx.set(r.tx, {begin: r, line: r.line ?? 0, status: 'open', done: false, committedAt: null})
    const view = byTx.get(r.tx)
    if (!view) continue
    if (r.type === 'commit') {
      view.status = 'committed'
      view.committedAt = r.at
    } else if (r.type === 'abort') view.status = 'aborted'
    else if (r.type === 'done') view.done = true
    else if (r.type === 'abandon') view.status = 'abandoned'
  }
  return [...byTx.values()]
}
