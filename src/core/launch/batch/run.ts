import {lstat} from 'node:fs/promises'
import {join, relative} from 'node:path'

import type {Packet} from '../../segments/packets.js'
import type {PreparedPacket} from '../../schemas/run-plan.js'
import {writeFileAtomic} from '../../store/atomic-write.js'
import {launchPaths} from '../../store/paths.js'
import {readCourseFile} from '../../store/read-file.js'
import {acceptOutput, outputCap, type AttemptContext} from '../attempt.js'
import type {AttemptClass} from '../classify.js'
import type {LedgerStart} from '../ledger.js'
import {stagedName} from '../output.js'
import {decide, MAX_WAIT_MS, type RetryCounters} from '../policy.js'
import {AttemptBook, nextAttempt, sleep} from '../scheduler.js'
import type {OpenAiSettings} from '../openai/settings.js'
import {BatchHttpError, type BatchClient, type BatchStatus} from './client.js'
import {batchCostUsd, batchRequest, BATCH_LIMITS, customId, parseCustomId, readAnthropicResult, readOpenAiResult, splitBatches, type BatchRequest, type BatchResult} from './requests.js'

/**
 * `launch --agent anthropic-batch` / `openai-batch`: every packet still to do goes into one batch
 * (split at the provider's limits), each request's custom_id its packet and attempt. As soon as a
 * batch is created, a `start` entry naming it goes into the ledger for each of its requests, before
 * any poll: a launch stopped or killed and started again finds those entries open and polls the same
 * batch, so no request is paid twice. The batches are polled with backoff (the progress told as
 * `batch` events); once one ends, each result goes through the same output check and staging
 * writer as any agent's output (attempt.ts acceptOutput), and gets its `end` entry with the tokens
 * the provider counted and their cost at the batch price (half the list price). Requests that
 * errored, expired, were canceled or gave an output that does not check are retried together as a
 * new, smaller batch, by the same policy as any attempt (--retries).
 */
export interface BatchRunOptions {
  ctx: AttemptContext
  client: BatchClient
  settings: OpenAiSettings
  listPrice: {inputUsdPerMTok: number; outputUsdPerMTok: number}
  packets: ReadonlyMap<string, Packet>
  lastAttempt: Map<string, number>
  retries: number
  backoffMs: number
  halt: number
  maxCostUsd: number | null
  /** the first wait between polls; it grows by half each poll, to at most 10 times itself (and 10 minutes) */
  pollMs: number
  random?: () => number
}

interface Item {
  p: PreparedPacket
  attempt: number
  counters: RetryCounters
  /** when its request was sent (the ledger's start) */
  sentAt: number
}

interface Group {
  id: string
  items: Item[]
}

const MAX_POLL_MS = 600_000

/** What a client call threw, as the BatchHttpError it is (or a crash, for anything else). */
const asBatchError = (error: unknown): BatchHttpError => (error instanceof BatchHttpError ? error : new BatchHttpError(String(error), 'crash'))

export class BatchRunner extends AttemptBook {
  /** for the segment tallies: packets retried at least once */
  readonly retried = new Set<string>()

  constructor(private readonly o: BatchRunOptions) {
    super({halt: o.halt, maxCostUsd: o.maxCostUsd, emit: o.ctx.emit})
  }

  private stopped(): boolean {
    return this.haltReason !== null || this.o.ctx.signal.aborted
  }

  /**
   * `resumed`: the open batch requests of the ledger whose packets are still to do (polled again, not
   * sent again); every other packet of `todo` is sent in new batches.
   */
  async run(todo: readonly PreparedPacket[], resumed: readonly LedgerStart[]): Promise<void> {
    const byId = new Map(todo.map((p) => [p.id, p]))
    const groups = new Map<string, Group>()
    for (const e of resumed) {
      const p = byId.get(e.packet)
      if (!p || !e.batch || e.batch.provider !== this.o.client.provider) continue
      const g = groups.get(e.batch.id) ?? {id: e.batch.id, items: []}
      g.items.push({p, attempt: e.attempt, counters: {tries: 0, rateLimits: 0}, sentAt: Date.parse(e.at) || Date.now()})
      groups.set(e.batch.id, g)
      byId.delete(e.packet)
    }
    let pending: Item[] = [...byId.values()].map((p) => ({p, attempt: nextAttempt(this.o.lastAttempt, p.id), counters: {tries: 0, rateLimits: 0}, sentAt: 0}))
    let current = [...groups.values()]
    for (;;) {
      if (pending.length > 0 && !this.stopped()) current.push(...(await this.submit(pending)))
      pending = []
      if (current.length === 0 || this.stopped()) break
      const retries = await Promise.all(current.map((g) => this.follow(g)))
      pending = retries.flat()
      current = []
      if (pending.length === 0) break
    }
    // what a stop left in a batch stays open in the ledger: the next launch polls it
    for (const g of current) for (const i of g.items) this.interrupted(i)
    for (const i of pending) if (!this.outcomes.has(i.p.id)) this.outcomes.set(i.p.id, {class: 'crash', message: 'not sent: launch was stopped first', index: i.p.index, interrupted: true, staged: false})
  }

  private interrupted(i: Item): void {
    if (this.outcomes.get(i.p.id)?.staged) return
    this.outcomes.set(i.p.id, {class: 'crash', message: 'launch was stopped while its batch ran: the batch goes on, and the next launch polls it (nothing is sent again)', index: i.p.index, interrupted: true, staged: false})
    this.o.ctx.emit({type: 'interrupted', packet: i.p.id, index: i.p.index, attempt: i.attempt, staged: null})
  }

  /** Builds the requests, creates the batches, and records each request in the ledger at once. */
  private async submit(items: Item[]): Promise<Group[]> {
    const {ctx, client} = this.o
    const requests: Array<BatchRequest & {item: Item}> = []
    for (const item of items) {
      const packet = this.o.packets.get(item.p.id)!
      const prompt = (await readCourseFile(launchPaths(ctx.runDir, ctx.shard).prompt(item.p.id))).toString('utf8')
      const r = batchRequest(client.provider, this.o.settings, {packet: item.p.id, attempt: item.attempt, prompt, legoIds: packet.legos.map((l) => l.id)})
      if ('refused' in r) {
        this.o.lastAttempt.set(item.p.id, item.attempt)
        await this.finish(item, {ok: false, class: 'over-context', message: r.refused, tokens: null}, null)
        continue
      }
      requests.push({...r, item})
    }
    const groups: Group[] = []
    for (const chunk of splitBatches(requests, BATCH_LIMITS[client.provider])) {
      if (this.stopped()) break
      let id: string
      try {
        id = await client.create(chunk, ctx.signal)
      } catch (error) {
        if (ctx.signal.aborted) break
        const e = asBatchError(error)
        // the batch was not created: its requests were not paid for, and did not start
        for (const r of chunk) this.outcomes.set(r.packet, {class: e.class_, message: e.message, index: r.item.p.index, interrupted: false, staged: false})
        this.halt(`${e.class_} creating a batch of ${chunk.length} request(s): ${e.message}${e.class_ === 'auth' ? ' (retrying would fail every packet the same way)' : ''}`)
        break
      }
      const at = new Date()
      // every request of the batch in one write, before anything else: what a killed launch leaves is polled, never sent again
      await ctx.ledger.appendAll(chunk.map((r) => ({event: 'start' as const, packet: r.packet, attempt: r.attempt, pid: null, at: at.toISOString(), attemptId: r.customId, agent: ctx.agent.kind, batch: {provider: client.provider, id}})))
      for (const r of chunk) {
        r.item.sentAt = at.getTime()
        this.o.lastAttempt.set(r.packet, r.attempt)
        ctx.emit({type: 'start', packet: r.packet, index: r.item.p.index, attempt: r.attempt, pid: null})
      }
      ctx.emit({type: 'batch', provider: client.provider, batch: id, requests: chunk.length, status: 'created', counts: {processing: chunk.length, succeeded: 0, errored: 0, canceled: 0, expired: 0}})
      groups.push({id, items: chunk.map((r) => r.item)})
    }
    return groups
  }

  /** Polls one batch until it ends, then reads its results; the items to retry. */
  private async follow(g: Group): Promise<Item[]> {
    const {ctx, client} = this.o
    let wait = this.o.pollMs
    let status: BatchStatus | null = null
    let told = ''
    for (;;) {
      if (this.stopped()) return []
      try {
        status = await client.retrieve(g.id, ctx.signal)
      } catch (error) {
        if (ctx.signal.aborted) return []
        const e = asBatchError(error)
        if (e.class_ === 'auth') {
          this.halt(`auth polling batch ${g.id}: ${e.message}`)
          return []
        }
        // the batch is paid for and goes on: keep polling through a provider's bad moment
        ctx.emit({type: 'batch', provider: client.provider, batch: g.id, requests: g.items.length, status: `poll failed (${e.message}); polling again`, counts: status?.counts ?? {processing: g.items.length, succeeded: 0, errored: 0, canceled: 0, expired: 0}})
      }
      if (status) {
        const line = `${status.status} ${JSON.stringify(status.counts)}`
        if (line !== told) ctx.emit({type: 'batch', provider: client.provider, batch: g.id, requests: g.items.length, status: status.status, counts: status.counts})
        told = line
        if (status.ended) break
      }
      await sleep(wait, ctx.signal)
      wait = Math.min(MAX_POLL_MS, MAX_WAIT_MS, this.o.pollMs * 10, Math.round(wait * 1.5))
    }
    let lines: Array<Record<string, unknown>> = []
    if (!status.failure) {
      try {
        lines = await client.results(status, ctx.signal)
      } catch (error) {
        if (ctx.signal.aborted) return []
        // the results stay with the provider (29 days at Anthropic): the next launch reads them again
        const e = asBatchError(error)
        this.halt(`${e.class_} reading the results of batch ${g.id}: ${e.message} (run launch again to read them; nothing is sent again)`)
        return []
      }
    }
    const read = client.provider === 'anthropic' ? readAnthropicResult : readOpenAiResult
    const results = new Map<string, BatchResult>()
    for (const line of lines) {
      const id = parseCustomId(line.custom_id)
      if (id) results.set(customId(id.packet, id.attempt), read(line))
    }
    const retry: Item[] = []
    for (const item of g.items) {
      if (ctx.signal.aborted) {
        this.interrupted(item)
        continue
      }
      const result = results.get(customId(item.p.id, item.attempt)) ?? {ok: false as const, class: 'crash' as const, message: status.failure ?? `batch ${g.id} ended without a result for this request`, tokens: null}
      const again = await this.finish(item, result, g.id)
      if (again) retry.push(again)
    }
    return retry
  }

  /** One request's result: checked and staged as any output, its end entry, and what comes next. */
  private async finish(item: Item, result: BatchResult, batch: string | null): Promise<Item | null> {
    const {ctx} = this.o
    const packet = this.o.packets.get(item.p.id)!
    let cls: AttemptClass
    let message: string
    let staged: string | null = null
    if (result.ok) {
      await ctx.folders()
      const name = stagedName(ctx.run, packet.id, item.attempt, ctx.shard)
      // a launch killed while it read the results may have staged this one already: never written twice
      const already = await lstat(join(ctx.stagingDir, name)).then(() => true, () => false)
      if (already) {
        staged = relative(ctx.course.dir, join(ctx.stagingDir, name))
        cls = 'ok'
        message = 'staged by an earlier launch that read this result'
      } else {
        await writeFileAtomic(launchPaths(ctx.runDir, ctx.shard).workFile(packet.id, item.attempt), result.content, {durable: false})
        const accepted = await acceptOutput(ctx, packet, item.attempt, {printed: '', overflow: null, cap: outputCap()})
        staged = accepted.staged
        cls = accepted.checked.valid ? 'ok' : 'invalid-output'
        message = accepted.checked.valid ? 'ok' : `the output does not check: ${accepted.checked.reason}`
      }
    } else {
      cls = result.class
      message = result.message
    }
    const costUsd = batchCostUsd(result.tokens, this.o.listPrice)
    const now = Date.now()
    const at = new Date(now).toISOString()
    const durationMs = item.sentAt > 0 ? Math.max(0, now - item.sentAt) : 0
    await ctx.ledger.append({
      event: 'end',
      packet: packet.id,
      attempt: item.attempt,
      pid: null,
      at,
      attemptId: customId(packet.id, item.attempt),
      agent: ctx.agent.kind,
      ...(item.sentAt > 0 ? {start: new Date(item.sentAt).toISOString()} : {}),
      end: at,
      durationMs,
      class: cls,
      exitCode: null,
      signal: null,
      message: batch ? `${message} (batch ${batch})` : message,
      tokens: result.tokens,
      costUsd,
      staged,
    })
    ctx.emit({type: 'end', packet: packet.id, index: item.p.index, attempt: item.attempt, class: cls, message, durationMs, staged, costUsd})
    this.record(packet.id, item.p.index, {class: cls, message, interrupted: false, staged, costUsd})
    if (staged) return null
    const decision = decide({class: cls, message, resetInMs: null}, item.counters, {retries: this.o.retries, backoffMs: this.o.backoffMs}, this.o.random)
    if ((decision.action === 'retry' || decision.action === 'pause') && !this.stopped()) {
      this.retried.add(packet.id)
      const attempt = nextAttempt(this.o.lastAttempt, packet.id)
      ctx.emit({type: 'retry', packet: packet.id, index: item.p.index, attempt, inMs: 0})
      return {p: item.p, attempt, counters: decision.counters, sentAt: 0}
    }
    if (decision.action === 'halt') this.halt(`${cls} on ${packet.id}: ${decision.reason}`)
    else this.checkFailures()
    return null
  }
}
