import {existsSync} from 'node:fs'

import {ledgerEntrySchema, MAX_LEDGER_MESSAGE as MAX_MESSAGE, type LedgerEntry, type LedgerStart} from '../schemas/ledger.js'
import {ndjsonAppendText, parseNdjson, type NdjsonInvalid} from '../store/ndjson.js'
import {readCourseFile} from '../store/read-file.js'
import {appendNoFollow} from '../store/wicker-folder.js'

export type {LedgerEntry, LedgerStart}

/**
 * A run's ledger (.wicker/runs/<run>/ledger.ndjson): the append-only record of every attempt,
 * read and written through store/ndjson.ts like the journal, each line checked by schemas/ledger.ts.
 */
export interface LedgerRead {
  entries: LedgerEntry[]
  invalid: NdjsonInvalid[]
  torn: number[]
  tornTail: boolean
}

/** Reads a ledger (a missing one is empty); lines that do not check are returned apart, never obeyed. */
export async function readLedger(file: string): Promise<LedgerRead> {
  if (!existsSync(file)) return {entries: [], invalid: [], torn: [], tornTail: false}
  // another launch (or status while one runs) may be appending: read what was there at the open
  const read = parseNdjson((await readCourseFile(file, {appendOnly: true})).toString('utf8'), ledgerEntrySchema)
  return {entries: read.records.map((r) => r.value), invalid: read.invalid, torn: read.torn, tornTail: read.tornTail}
}

/** What people are told about lines of a ledger that do not check. */
export function ledgerWarnings(file: string, read: Pick<LedgerRead, 'invalid'>): string[] {
  return read.invalid.slice(0, 5).map((b) => `${file} line ${b.line} is not a ledger entry wicker wrote (${b.reason}): ignored`).concat(read.invalid.length > 5 ? [`${file}: ${read.invalid.length - 5} more line(s) like that ignored`] : [])
}

/** The writer one launch holds (under the run's lock): every append awaited by its caller. */
export class RunLedger {
  private constructor(
    readonly file: string,
    /** `launch --shard I/N`: "I/N", put on every entry it appends */
    private readonly shard: string | null,
  ) {}

  /**
   * Opens the ledger for appending: refuses a symlink at its name (appendNoFollow), reads its
   * history, and ends a line a killed launcher tore, so the next entry is not swallowed by it.
   */
  static async open(file: string, shard: string | null = null): Promise<{ledger: RunLedger; history: LedgerRead}> {
    await appendNoFollow(file, '')
    const history = await readLedger(file)
    if (history.tornTail) await appendNoFollow(file, '\n')
    return {ledger: new RunLedger(file, shard), history}
  }

  async append(entry: LedgerEntry): Promise<void> {
    await this.appendAll([entry])
  }

  /** Several entries in one write (a batch's requests: all recorded at once, as soon as it exists). */
  async appendAll(entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return
    const lines = entries.map((entry) => fitted(this.shard === null ? entry : {...entry, shard: this.shard}))
    await appendNoFollow(this.file, ndjsonAppendText(lines, ledgerEntrySchema, 'ledger'))
  }
}

/** Messages quote what agents print (a spawn error names the command): cut to what an entry holds. */
function fitted(entry: LedgerEntry): LedgerEntry {
  if (entry.event === 'start' || entry.message === undefined || entry.message.length <= MAX_MESSAGE) return entry
  return {...entry, message: `${entry.message.slice(0, MAX_MESSAGE - 1)}…`}
}

const key = (e: {packet: string; attempt: number}) => `${e.packet}#${e.attempt}`

/** An attempt that ended with its output staged: `end` of class ok, or `interrupted` after the output was whole. */
export const stagedAttempt = (e: LedgerEntry): boolean => (e.event === 'end' && e.class === 'ok') || (e.event === 'interrupted' && Boolean(e.staged))

/** What the ledger says about the packets, for the selector and the next attempt numbers. */
export interface LedgerSummary {
  /** highest attempt number seen per packet: the next attempt is one more */
  lastAttempt: Map<string, number>
  /** packets with an attempt that ended (finished, failed, or was interrupted) */
  attempted: Set<string>
  /** start entries with neither an end nor an interrupted entry: attempts a killed launch left running */
  unfinished: LedgerStart[]
  /** start entries of requests in a provider batch with no end yet: polled again, never stopped */
  inBatch: LedgerStart[]
}

export function summarize(entries: readonly LedgerEntry[]): LedgerSummary {
  const lastAttempt = new Map<string, number>()
  const attempted = new Set<string>()
  const ended = new Set<string>()
  for (const e of entries) {
    lastAttempt.set(e.packet, Math.max(lastAttempt.get(e.packet) ?? 0, e.attempt))
    if (e.event !== 'start') {
      attempted.add(e.packet)
      ended.add(key(e))
    }
  }
  const open = entries.filter((e): e is LedgerStart => e.event === 'start' && !ended.has(key(e)))
  return {lastAttempt, attempted, unfinished: open.filter((e) => !e.batch), inBatch: open.filter((e) => Boolean(e.batch))}
}
