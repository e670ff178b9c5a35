import {ioError} from '../errors.js'
import type {Disk} from './disk.js'
import type {WickerPaths} from './paths.js'

/**
 * The append-only journal: every transaction on canon is a `begin` record, then `commit` or
 * `abort`, and `done` once its staging files are moved. A `begin` with no end is an interrupted
 * transaction; the next writer finishes or rolls it back from what the record says.
 */
export interface BeginRecord {
  type: 'begin'
  tx: string
  kind: 'merge' | 'restore'
  at: string
  /** plan applied (merge) */
  planId: string | null
  /** transaction undone (restore) */
  target: string | null
  /** sha256 of canon before and after; null = no canon file */
  before: string | null
  after: string | null
  /** copy of canon before the write */
  backup: string | null
  /** staging files to move: [from, to], relative to the course folder */
  moves: Array<[string, string]>
  counts: {added: number; updated: number; adopted: number}
}

export type JournalRecord =
  | BeginRecord
  | {type: 'commit'; tx: string; at: string; recovered?: boolean}
  | {type: 'abort'; tx: string; at: string; reason: string}
  | {type: 'done'; tx: string; at: string}

export async function appendJournal(disk: Disk, paths: WickerPaths, record: JournalRecord): Promise<void> {
  try {
    // A line torn by a kill would swallow the next record if it were appended to it: start afresh.
    const torn = disk.exists(paths.journal) && !(await disk.readFile(paths.journal)).toString('utf8').endsWith('\n')
    await disk.append(paths.journal, `${torn ? '\n' : ''}${JSON.stringify(record)}\n`)
  } catch (error) {
    throw ioError(error, paths.journal, 'append to the journal')
  }
}

export async function readJournal(disk: Disk, paths: WickerPaths): Promise<JournalRecord[]> {
  if (!disk.exists(paths.journal)) return []
  const text = (await disk.readFile(paths.journal)).toString('utf8')
  const records: JournalRecord[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      records.push(JSON.parse(line) as JournalRecord)
    } catch {
      // a line cut by a crash while it was appended: the transaction it began never wrote canon
    }
  }
  return records
}

export interface TxView {
  begin: BeginRecord
  status: 'committed' | 'aborted' | 'open'
  done: boolean
  committedAt: string | null
}

/** Transactions in journal order, with how each ended. */
export function transactions(records: JournalRecord[]): TxView[] {
  const byTx = new Map<string, TxView>()
  for (const r of records) {
    if (r.type === 'begin') byTx.set(r.tx, {begin: r, status: 'open', done: false, committedAt: null})
    const view = byTx.get(r.tx)
    if (!view) continue
    if (r.type === 'commit') {
      view.status = 'committed'
      view.committedAt = r.at
    } else if (r.type === 'abort') view.status = 'aborted'
    else if (r.type === 'done') view.done = true
  }
  return [...byTx.values()]
}
