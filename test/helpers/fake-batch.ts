import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * A fake of the providers' batch APIs on 127.0.0.1 (a random port), as their docs say they answer:
 *
 * anthropic: POST /v1/messages/batches {requests: [{custom_id, params}]} → a message_batch;
 * GET /v1/messages/batches/<id> → {processing_status, request_counts, results_url}; GET
 * /v1/messages/batches/<id>/results → JSONL {custom_id, result: {type, message | error}}. Every call
 * needs x-api-key = the key and anthropic-version.
 *
 * openai: POST /v1/files (multipart: purpose=batch, file=JSONL) → {id}; POST /v1/batches
 * {input_file_id, endpoint, completion_window} → a batch; GET /v1/batches/<id> → {status,
 * request_counts, output_file_id, error_file_id}; GET /v1/files/<id>/content → JSONL. Every call
 * needs Authorization: Bearer <key>.
 *
 * What each request comes to is `result`'s to say; a batch ends once it was polled `pollsToEnd`
 * times, and not before `release()` when it is held. `failNext` makes the next call of a route
 * answer with a status of its own (401, 429 with retry-after, 500…).
 */
export type ResultKind = 'succeeded' | 'errored' | 'expired' | 'canceled' | 'garbage'
export type Route = 'create' | 'upload' | 'retrieve' | 'results'

export interface Call {
  at: number
  method: string
  path: string
  route: Route | null
  status: number
  headers: IncomingMessage['headers']
}

export interface Created {
  id: string
  customIds: string[]
  /** the requests as sent: Anthropic's {custom_id, params}, OpenAI's input lines */
  requests: any[]
}

/** A worker output with invented phrases for each LEGO of the packet. */
export function workerOutput(packet: string, legoIds: string[], course = 'pel') {
  return {course, packet, baskets: Object.fromEntries(legoIds.map((id, i) => [id, {practice_phrases: [{known: `vorp ${i}`, target: `klem ${i}`}, {known: `vorp trisk ${i}`, target: `klem dazo ${i}`}]}]))}
}

const packetOf = (customId: string) => customId.replace(/-\d+$/, '')

export async function fakeBatchServer(o: {provider: 'anthropic' | 'openai'; key: string; result?: (customId: string, request: any) => ResultKind; pollsToEnd?: number; hold?: boolean; failBatch?: boolean}) {
  const calls: Call[] = []
  const created: Created[] = []
  const failures: Array<{route: Route; status: number; headers?: Record<string, string>; body?: unknown}> = []
  const files = new Map<string, string>()
  const batches = new Map<string, {created: Created; polls: number; output: string[]; errors: string[]}>()
  let held = o.hold ?? false
  let serial = 0
  const result = o.result ?? (() => 'succeeded')

  function resultLines(c: Created) {
    const output: string[] = []
    const errors: string[] = []
    for (const [i, req] of c.requests.entries()) {
      const id = c.customIds[i]!
      const kind = result(id, req)
      const schema = o.provider === 'anthropic' ? req.params.tools[0].input_schema : req.body.response_format.json_schema.schema
      const doc = kind === 'garbage' ? {course: 'pel', packet: packetOf(id), baskets: {}} : workerOutput(packetOf(id), Object.keys(schema.properties.baskets.properties))
      if (o.provider === 'anthropic') {
        const r =
          kind === 'succeeded' || kind === 'garbage'
            ? {type: 'succeeded', message: {id: `msg_${id}`, type: 'message', role: 'assistant', model: req.params.model, content: [{type: 'tool_use', id: `toolu_${id}`, name: req.params.tools[0].name, input: doc}], stop_reason: 'tool_use', usage: {input_tokens: 3000, output_tokens: 1600}}}
            : kind === 'errored'
              ? {type: 'errored', error: {type: 'error', error: {type: 'api_error', message: 'Internal server error'}}}
              : {type: kind}
        output.push(JSON.stringify({custom_id: id, result: r}))
      } else if (kind === 'succeeded' || kind === 'garbage') {
        output.push(JSON.stringify({id: `batch_req_${id}`, custom_id: id, response: {status_code: 200, request_id: `req_${id}`, body: {id: `chatcmpl-${id}`, object: 'chat.completion', model: req.body.model, choices: [{index: 0, message: {role: 'assistant', content: JSON.stringify(doc)}, finish_reason: 'stop'}], usage: {prompt_tokens: 3000, completion_tokens: 1600, total_tokens: 4600}}}, error: null}))
      } else {
        const code = kind === 'errored' ? 'server_error' : kind === 'expired' ? 'batch_expired' : 'batch_cancelled'
        errors.push(JSON.stringify({id: `batch_req_${id}`, custom_id: id, response: null, error: {code, message: `invented ${code}`}}))
      }
    }
    return {output, errors}
  }

  const anthropicBatch = (id: string, base: string) => {
    const b = batches.get(id)!
    const ended = !held && b.polls >= (o.pollsToEnd ?? 1)
    const n = b.created.customIds.length
    const counts = {processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0}
    if (!ended) counts.processing = n
    else for (const line of b.output) counts[({succeeded: 'succeeded', errored: 'errored', canceled: 'canceled', expired: 'expired'} as const)[JSON.parse(line).result.type as 'succeeded']]++
    return {id, type: 'message_batch', processing_status: ended ? 'ended' : 'in_progress', request_counts: counts, ended_at: null, created_at: new Date().toISOString(), expires_at: new Date().toISOString(), cancel_initiated_at: null, results_url: ended ? `${base}/v1/messages/batches/${id}/results` : null}
  }
  const openAiBatch = (id: string) => {
    const b = batches.get(id)!
    const ended = !held && b.polls >= (o.pollsToEnd ?? 1)
    const n = b.created.customIds.length
    const fileOf = (kind: string, lines: string[]) => {
      if (lines.length === 0) return null
      const fid = `file-${kind}-${id}`
      files.set(fid, `${lines.join('\n')}\n`)
      return fid
    }
    if (ended && o.failBatch) return {id, object: 'batch', endpoint: '/v1/chat/completions', status: 'failed', request_counts: {total: n, completed: 0, failed: 0}, output_file_id: null, error_file_id: null, errors: {object: 'list', data: [{code: 'invalid_json_line', message: 'invented: line 1 is not valid', line: 1}]}}
    return {id, object: 'batch', endpoint: '/v1/chat/completions', status: ended ? 'completed' : b.polls === 0 ? 'validating' : 'in_progress', request_counts: {total: n, completed: ended ? b.output.length : 0, failed: ended ? b.errors.length : 0}, output_file_id: ended ? fileOf('out', b.output) : null, error_file_id: ended ? fileOf('err', b.errors) : null, errors: null}
  }

  function route(method: string, path: string): Route | null {
    if (o.provider === 'anthropic') {
      if (method === 'POST' && path === '/v1/messages/batches') return 'create'
      if (method === 'GET' && /^\/v1\/messages\/batches\/[^/]+\/results$/.test(path)) return 'results'
      if (method === 'GET' && /^\/v1\/messages\/batches\/[^/]+$/.test(path)) return 'retrieve'
    } else {
      if (method === 'POST' && path === '/v1/files') return 'upload'
      if (method === 'POST' && path === '/v1/batches') return 'create'
      if (method === 'GET' && /^\/v1\/files\/[^/]+\/content$/.test(path)) return 'results'
      if (method === 'GET' && /^\/v1\/batches\/[^/]+$/.test(path)) return 'retrieve'
    }
    return null
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (d: Buffer) => chunks.push(d))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const path = (req.url ?? '').split('?')[0]!
      const r = route(req.method ?? '', path)
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        calls.push({at: Date.now(), method: req.method ?? '', path, route: r, status, headers: req.headers})
        res.writeHead(status, {'content-type': typeof body === 'string' ? 'application/binary' : 'application/json', ...headers})
        res.end(typeof body === 'string' ? body : JSON.stringify(body))
      }
      const authed = o.provider === 'anthropic' ? req.headers['x-api-key'] === o.key && req.headers['anthropic-version'] === '2023-06-01' : req.headers.authorization === `Bearer ${o.key}`
      if (!authed) return send(401, {type: 'error', error: {type: 'authentication_error', message: 'invalid x-api-key'}})
      if (!r) return send(404, {error: {message: `no route ${req.method} ${path}`}})
      const fail = failures.findIndex((f) => f.route === r)
      if (fail >= 0) {
        const f = failures.splice(fail, 1)[0]!
        return send(f.status, f.body ?? {error: {message: `invented ${f.status}`}}, f.headers)
      }
      if (r === 'upload') {
        const boundary = /boundary=(.+)$/.exec(req.headers['content-type'] ?? '')?.[1]
        if (!boundary || !/name="purpose"\r\n\r\nbatch\r\n/.test(text)) return send(400, {error: {message: 'purpose must be batch'}})
        const part = text.split(`--${boundary}`).find((p) => p.includes('name="file"'))!
        const jsonl = part.slice(part.indexOf('\r\n\r\n') + 4, part.lastIndexOf('\r\n'))
        const id = `file-in-${++serial}`
        files.set(id, jsonl)
        return send(200, {id, object: 'file', purpose: 'batch', bytes: Buffer.byteLength(jsonl), filename: 'wicker-batch.jsonl'})
      }
      if (r === 'create') {
        const id = o.provider === 'anthropic' ? `msgbatch_fake${++serial}` : `batch_fake${++serial}`
        let requests: any[]
        if (o.provider === 'anthropic') requests = JSON.parse(text).requests
        else {
          const body = JSON.parse(text)
          if (body.endpoint !== '/v1/chat/completions' || body.completion_window !== '24h' || !files.has(body.input_file_id)) return send(400, {error: {message: 'bad batch'}})
          requests = files.get(body.input_file_id)!.trim().split('\n').map((l) => JSON.parse(l))
        }
        const c: Created = {id, customIds: requests.map((q) => q.custom_id), requests}
        created.push(c)
        const lines = resultLines(c)
        batches.set(id, {created: c, polls: 0, ...lines, output: o.provider === 'anthropic' ? lines.output : lines.output})
        return send(200, o.provider === 'anthropic' ? anthropicBatch(id, base) : openAiBatch(id))
      }
      if (r === 'retrieve') {
        const id = path.split('/').at(-1)!
        const b = batches.get(id)
        if (!b) return send(404, {error: {message: `no batch ${id}`}})
        b.polls++
        return send(200, o.provider === 'anthropic' ? anthropicBatch(id, base) : openAiBatch(id))
      }
      // results
      if (o.provider === 'anthropic') {
        const id = path.split('/').at(-2)!
        const b = batches.get(id)
        if (!b || held) return send(404, {error: {message: 'not ended'}})
        return send(200, `${b.output.join('\n')}\n`)
      }
      const fid = path.split('/').at(-2)!
      if (!files.has(fid)) return send(404, {error: {message: `no file ${fid}`}})
      return send(200, files.get(fid)!)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    calls,
    created,
    release: () => {
      held = false
    },
    failNext: (f: {route: Route; status: number; headers?: Record<string, string>; body?: unknown}) => failures.push(f),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type FakeBatchServer = Awaited<ReturnType<typeof fakeBatchServer>>
export type {Server}
