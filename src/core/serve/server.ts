import {randomBytes} from 'node:crypto'
import type {AddressInfo} from 'node:net'
import {basename} from 'node:path'

import type {Context, Hono as HonoApp, MiddlewareHandler} from 'hono'

import type {Course} from '../course/model.js'
import {errnoOf, IoError, WickerError} from '../errors.js'
import {sha256Hex} from '../hash.js'
import {runStatus} from '../status/status.js'
import {eventHub, type EventHub} from './events.js'
import {idempotencyStore, type IdempotencyStore} from './idempotency.js'
import {type Answer, BEARER_CHALLENGE, bearerOf, problem, send, type ServedCourse} from './http.js'
import {acceptUpload} from './intake.js'
import {RATE_DEFAULT_PER_MINUTE, rateLimiter} from './rate-limit.js'
import {verifyToken, type TokenVerdict, type TokenView} from './tokens.js'

export type {ServedCourse} from './http.js'

/**
 * `wicker serve` (issue 12 §1, first cut): the Upload and Status routes of one or more courses.
 * makeApp builds the Hono app (tests call app.request() in-process); listen() puts it on a port.
 */

export const SERVE_DEFAULTS = {host: '127.0.0.1', port: 4750, maxBody: 8 * 1024 * 1024, requestTimeoutMs: 30_000, graceMs: 5000, ratePerMinute: RATE_DEFAULT_PER_MINUTE} as const

export interface AppOptions {
  maxBody: number
  /** uploads a minute per token (burst: a tenth of it, rate-limit.ts); default SERVE_DEFAULTS.ratePerMinute */
  ratePerMinute?: number
  /** the clock of the rate limit (tests) */
  now?: () => number
  /** told of each request the server could not answer (a 500 or a course-side refusal), for the log */
  onError?: (line: string) => void
  /** the status page's change feed (run-serve closes it on shutdown); one of its own when left out */
  events?: EventHub
}

type Env = {Variables: {served: ServedCourse; token: TokenView}}

/** A staging name the server picks for a POST: UTC time and 8 random bytes, so two never collide; a run's token gets its run's prefix. */
export function generatedName(run: string | null, now = new Date()): string {
  const time = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return `${run === null ? '' : `${run}__`}upload-${time}-${randomBytes(8).toString('hex')}.json`
}

export async function makeApp(courses: readonly ServedCourse[], options: AppOptions): Promise<HonoApp<Env>> {
  const [{Hono}, {bodyLimit}] = await Promise.all([import('hono'), import('hono/body-limit')])
  const byCode = new Map(courses.map((s) => [s.course.code, s]))
  const stores = new Map<string, IdempotencyStore>(courses.map((s) => [s.course.code, idempotencyStore(s.course.dir)]))
  const app = new Hono<Env>()
  const events = options.events ?? eventHub(courses.map((s) => s.course))

  /** the course of :course (404) and a bearer token good for it (401/403), before the body is read */
  const authorised: MiddlewareHandler<Env> = async (c, next) => {
    const code = c.req.param('course') ?? ''
    const served = byCode.get(code)
    if (!served) return send(c, problem(404, 'No such course', `This server serves ${[...byCode.keys()].join(', ')}, not ${JSON.stringify(code)}.`))
    const token = bearerOf(c.req.header('authorization'))
    if (token === undefined) return send(c, problem(401, 'Bearer token needed', 'Send `Authorization: Bearer <token>`; `wicker serve token create` makes one.'), BEARER_CHALLENGE)
    const verdict = await verifyAnywhere(served, token)
    if (!verdict.ok) return send(c, problem(verdict.status, verdict.status === 401 ? 'Token refused' : 'Token not good for this', verdict.reason), verdict.status === 401 ? BEARER_CHALLENGE : {})
    c.set('served', served)
    c.set('token', verdict.token)
    await next()
  }

  /**
   * A token is looked up in the store of the course the URL names, then in every other served
   * course's: one another course knows is a 403 naming that course, not a 401 as if it were unknown.
   */
  const verifyAnywhere = async (served: ServedCourse, token: string): Promise<TokenVerdict> => {
    const code = served.course.code
    const own = await verifyToken(served.course.dir, token, {course: code})
    if (own.ok || own.reason !== 'unknown token') return own
    for (const other of courses) {
      if (other === served) continue
      const there = await verifyToken(other.course.dir, token, {course: code})
      if (there.ok || there.reason !== 'unknown token') return there.ok ? own : there
    }
    return own
  }

  const rate = rateLimiter(options.ratePerMinute ?? SERVE_DEFAULTS.ratePerMinute, options.now)
  /** one upload from the token's bucket (keyed by its id, never the token), before the body is read */
  const rated: MiddlewareHandler<Env> = async (c, next) => {
    const got = rate.take(c.get('token').id)
    if (!got.ok) return send(c, problem(429, 'Too many uploads', `Token ${c.get('token').id} may upload ${options.ratePerMinute ?? SERVE_DEFAULTS.ratePerMinute} files a minute (wicker serve --rate): retry in ${got.retryAfterSeconds} s.`), {'retry-after': String(got.retryAfterSeconds)})
    await next()
  }

  const limit = bodyLimit({
    maxSize: options.maxBody,
    onError: (c) => send(c, problem(413, 'Body too large', `This server takes bodies of up to ${options.maxBody} bytes (wicker serve --max-body).`)),
  })

  /** PUT under the client's name, POST under one the server picks: the same checks, the same Idempotency-Key handling */
  const intake = async (c: Context<Env>, name: string | null): Promise<Response> => {
    const served = c.get('served')
    const run = c.get('token').run
    // a token of one run uploads that run's files only: launch names them <run>__<packet>__<attempt>.json
    if (name !== null && run !== null && !name.startsWith(`${run}__`)) return send(c, problem(403, 'Token not good for this', `token ${c.get('token').id} is for run ${run}: its uploads are named ${run}__….json (or POSTed, and named by the server).`))
    const bytes = Buffer.from(await c.req.arrayBuffer())
    const key = c.req.header('idempotency-key')
    const store = stores.get(served.course.code)!
    const where = (answer: Answer): Record<string, string> =>
      name === null && typeof answer.body.file === 'string' ? {location: `/v1/courses/${encodeURIComponent(served.course.code)}/staging/${encodeURIComponent(basename(answer.body.file))}`} : {}
    if (key !== undefined) {
      const begun = await store.begin(key, sha256Hex(bytes))
      if (begun.state === 'replay') {
        const stored = begun.response as unknown as Answer
        return send(c, stored, {'idempotent-replayed': 'true', ...where(stored)})
      }
      if (begun.state === 'conflict') return send(c, problem(422, 'Idempotency-Key reused', 'This Idempotency-Key was used with another body: send a fresh key for a new upload.'))
      if (begun.state === 'in-flight') return send(c, problem(409, 'Upload in progress', 'A request with this Idempotency-Key is still being answered: retry in a moment.'), {'retry-after': '1'})
    }
    try {
      const answer = await upload(served.course, name ?? generatedName(run), bytes, options.maxBody)
      if (key !== undefined) await store.finish(key, answer as never)
      if (answer.status < 300) events.changed(served.course.code)
      return send(c, answer, where(answer))
    } catch (error) {
      if (key !== undefined) await store.abandon(key)
      throw error
    }
  }

  app.put('/v1/courses/:course/staging/:name', authorised, rated, limit, (c) => intake(c, c.req.param('name')))
  app.post('/v1/courses/:course/staging', authorised, rated, limit, (c) => intake(c, null))

  app.get('/v1/courses/:course/status', authorised, async (c) => {
    const served = c.get('served')
    const {result, warnings} = await runStatus({course: served.course.dir, cwd: served.cwd, warnings: []})
    return send(c, {status: 200, body: {status: 0, result, warnings}})
  })

  const {mountPage} = await import('./page-routes.js')
  mountPage(app, courses, events)

  app.notFound((c) => send(c, problem(404, 'Not found', `${c.req.method} ${new URL(c.req.url).pathname} is not a route of wicker serve: PUT /v1/courses/:course/staging/:name, POST /v1/courses/:course/staging, GET /v1/courses/:course/status, GET / (the status page), GET /v1/events.`)))
  app.onError((error, c) => {
    // a client's mistake (a malformed Idempotency-Key) is a 400 with its message
    if (error instanceof WickerError && error.code === 'E_IDEMPOTENCY_KEY') return send(c, problem(400, 'Bad request', `${error.message} ${error.hint ?? ''}`.trim()))
    // anything else is the server's side (the course folder, the disk, a bug): a 500 with no stack, the reason in the server's log
    options.onError?.(`${c.req.method} ${new URL(c.req.url).pathname}: ${error instanceof WickerError ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : String(error)}`)
    return send(c, problem(500, 'Internal error', 'wicker serve could not answer this request; nothing was written. The reason is in the server\'s log.'))
  })
  return app
}

async function upload(course: Course, name: string, bytes: Buffer, maxBody: number): Promise<Answer> {
  const got = await acceptUpload({course, name, bytes, settings: {maxFileSize: maxBody}})
  if (!got.ok) return problem(422, 'Upload refused', `${name} would not be read by extract as it is: fix each problem and upload again.`, got.problems)
  const {file, sha256, bytes: size, requested, outcome} = got.accepted
  return {status: outcome === 'created' ? 201 : 200, body: {file, sha256, bytes: size, requested}}
}

export interface ListenOptions {
  host: string
  port: number
  requestTimeoutMs: number
}

export interface Listening {
  host: string
  port: number
  url: string
  /** stop accepting, let in-flight requests finish for up to graceMs, then cut what is left */
  close(graceMs: number): Promise<void>
  /** cut every connection now (a second Ctrl-C) */
  cutNow(): void
}

export async function listen(app: HonoApp<Env>, options: ListenOptions): Promise<Listening> {
  const {serve} = await import('@hono/node-server')
  const {server, address} = await new Promise<{server: ReturnType<typeof serve>; address: AddressInfo}>((resolve, reject) => {
    // a client that sends its request too slowly is cut off (Node answers 408), checked every second: its upload never reaches staging
    const timeouts = {requestTimeout: options.requestTimeoutMs, headersTimeout: Math.min(options.requestTimeoutMs, 60_000), connectionsCheckingInterval: Math.min(options.requestTimeoutMs, 1000)}
    const server = serve({fetch: app.fetch, hostname: options.host, port: options.port, serverOptions: timeouts}, (address) => resolve({server, address}))
    server.once('error', (error) => reject(listenError(error, options)))
  })
  const http = server as import('node:http').Server
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    host: address.address,
    port: address.port,
    url: `http://${host}:${address.port}`,
    cutNow: () => http.closeAllConnections(),
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const cut = setTimeout(() => http.closeAllConnections(), graceMs)
        // a keep-alive connection goes idle once its request is answered: closed then, not at the end of the grace
        const idle = setInterval(() => http.closeIdleConnections(), 50)
        http.close(() => {
          clearTimeout(cut)
          clearInterval(idle)
          resolve()
        })
        http.closeIdleConnections()
      }),
  }
}

function listenError(error: unknown, options: ListenOptions): Error {
  const errno = errnoOf(error)
  const where = `${options.host}:${options.port}`
  if (errno === 'EADDRINUSE') return new IoError({code: 'E_PORT_TAKEN', message: `Port ${options.port} on ${options.host} is taken by another program.`, hint: 'Give another --port, or --port 0 for any free one.', details: {host: options.host, port: options.port}})
  if (errno === 'EACCES') return new IoError({code: 'E_PORT_DENIED', message: `Listening on ${where} is not allowed for this user (ports below 1024 need privileges).`, hint: 'Give a --port of 1024 or above.', details: {host: options.host, port: options.port}})
  if (errno === 'EADDRNOTAVAIL' || errno === 'ENOTFOUND') return new IoError({code: 'E_HOST_UNKNOWN', message: `${options.host} is not an address of this machine.`, hint: 'Give --host 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).', details: {host: options.host}})
  return error instanceof Error ? error : new Error(String(error))
}
